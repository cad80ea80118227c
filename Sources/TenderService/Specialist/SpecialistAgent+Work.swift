import TenderCore
import TenderUV
import TenderWire

/// Bidding and the work after an award.
extension SpecialistAgent {
    func observation(for cfp: WireCallForProposals) -> Observation? {
        guard let category = IncidentCategory(name: cfp.category), let severity = Severity(name: cfp.severity) else { return nil }
        return Observation(
            category: category, severity: severity, age: cfp.ageS, slackToSLA: cfp.slaSlackS,
            skill: config.profile.skills[category],
            expectedService: config.profile.service.mean(for: category, severity) * config.timeScale,
            load: tasks.count, capacity: config.effectiveCapacity, recentWinRate: winRate
        )
    }

    func answer(_ cfp: WireCallForProposals) {
        guard let connection else { return }
        let decision = observation(for: cfp).map(config.policy.decide) ?? .refuse(.notCapable)
        switch decision {
        case .bid(let bid):
            proposals[WireMapping.ref(cfp.ref)] = cfp
            var propose = WirePropose()
            propose.ref = cfp.ref
            propose.etaS = bid.eta
            propose.confidence = bid.confidence
            connection.send(.with { $0.propose = propose })
        case .refuse(let reason):
            var refuse = WireRefuse()
            refuse.ref = cfp.ref
            refuse.reason = WireMapping.refusal(reason)
            connection.send(.with { $0.refuse = refuse })
        }
    }

    func answerLater(_ cfp: WireCallForProposals) {
        guard let timer = try? LoopTimer(loop: loop) else { return }
        timer.start(afterMilliseconds: UInt64(config.replyDelay * 1000)) { [weak self] in
            timer.close()
            self?.answer(cfp)
        }
    }

    func awarded(_ ref: AuctionRef) {
        guard let cfp = proposals.removeValue(forKey: ref) else {
            // An accept for something never proposed in this session: a protocol error by the
            // coordinator, but failing the task lets the engine re-auction it at once.
            report(ref, failure: "accepted a proposal this specialist did not make")
            return
        }
        winRate = winRate * 0.95 + 0.05
        onEvent?(.awarded(incident: ref.incident.rawValue))
        guard config.timeScale > 0, let category = IncidentCategory(name: cfp.category), let severity = Severity(name: cfp.severity) else {
            tasks[ref] = .some(nil)
            finish(ref, cfp)
            return
        }
        let skill = max(config.profile.skills[category], 0.01)
        let seconds = config.profile.service.distribution(for: category, severity).sample(&random) / skill * config.timeScale
        guard let timer = try? LoopTimer(loop: loop) else {
            report(ref, failure: "cannot start the analysis timer")
            return
        }
        tasks[ref] = timer
        timer.start(afterMilliseconds: UInt64(seconds * 1000)) { [weak self] in self?.finish(ref, cfp) }
    }

    /// Analysis done: fail with the profile's failure probability, or answer with the plan.
    func finish(_ ref: AuctionRef, _ cfp: WireCallForProposals) {
        guard let timer = tasks.removeValue(forKey: ref) else { return }
        timer?.close()
        let skill = IncidentCategory(name: cfp.category).map { config.profile.skills[$0] } ?? 0
        let failureProbability = config.profile.failure.probability(skill: skill) * config.failureScale
        if failureProbability > 0, random.nextUnit() < failureProbability {
            report(ref, failure: "remediation analysis failed")
            return
        }
        switch PlanBuilder.plan(from: config.profile, for: cfp) {
        case .failure(let why):
            report(ref, failure: why.description)
        case .success(let plan):
            var result = WireInformResult()
            result.ref = cfp.ref
            result.plan = plan
            connection?.send(.with { $0.informResult = result })
            onEvent?(.completed(incident: ref.incident.rawValue, playbook: plan.playbook))
        }
    }

    func report(_ ref: AuctionRef, failure reason: String) {
        var failure = WireFailure()
        failure.ref = WireMapping.ref(ref)
        failure.reason = reason
        connection?.send(.with { $0.failure = failure })
        onEvent?(.failed(incident: ref.incident.rawValue, reason: reason))
    }
}
