import TenderConfig
import TenderCore
import TenderUV
import TenderWire

/// Bidding and the work after an award.
extension SpecialistAgent {
    func observation(for cfp: WireCallForProposals) -> Observation? {
        Self.observation(model: model, cfp: cfp, load: tasks.count, recentWinRate: winRate, stormIntensity: stormMeter.intensity, timeScale: config.timeScale)
    }

    /// What the policy sees for a call, through the shared model; nil for an unknown category
    /// or severity. Static and pure so a test can compare it with the simulator's view.
    ///
    /// Times are in scenario seconds, as in training, whatever `timeScale` (wall seconds per
    /// scenario second; a demo plays storms 200× faster). The call's age is wall time, so it is
    /// divided by the scale. The coordinator counts SLA windows in scenario seconds (a window is
    /// the severity's, from arrival), so the window is the call's slack plus its age, and the
    /// slack the policy sees is that window minus the scenario age. At scale 1 both are the
    /// call's own figures. A call that does not say how many it invited (`invited` 0, from a
    /// coordinator before the field) counts as inviting this agent alone.
    public static func observation(
        model: SpecialistWorkModel, cfp: WireCallForProposals, load: Int, recentWinRate: Double, stormIntensity: Double, timeScale: Double = 1
    ) -> Observation? {
        guard let category = IncidentCategory(name: cfp.category), let severity = Severity(name: cfp.severity) else { return nil }
        let scale = Self.scenarioScale(timeScale)
        let age = cfp.ageS / scale
        let slack = scale == 1 ? cfp.slaSlackS : cfp.slaSlackS + cfp.ageS - age
        return model.observation(
            category, severity, age: age, slackToSLA: slack, load: load,
            recentWinRate: recentWinRate, stormIntensity: stormIntensity, invited: max(Int(cfp.invited), 1), incident: cfp.ref.incident
        )
    }

    /// Wall seconds per scenario second for converting what the agent sees and promises; a time
    /// scale of 0 (analysis takes no time) converts nothing.
    static func scenarioScale(_ timeScale: Double) -> Double { timeScale > 0 ? timeScale : 1 }

    func answer(_ cfp: WireCallForProposals) {
        guard let connection else { return }
        switch Self.decision(for: cfp, profile: config.profile, observation: observation(for: cfp), policy: config.policy) {
        case .notActionable(let detail):
            var refuse = WireRefuse()
            refuse.ref = cfp.ref
            refuse.reason = .notActionable
            refuse.detail = detail
            connection.send(.with { $0.refuse = refuse })
        case .policy(let decision):
            answer(cfp, with: decision, on: connection)
        }
    }

    /// How the agent answers a call: an incident none of whose playbooks can be filled (an
    /// entity is missing) is refused as not actionable, with the reason, before the policy is
    /// asked; bidding on it would only fail after the award. Static and pure for tests.
    enum CallDecision: Equatable {
        case notActionable(String)
        case policy(BidDecision)
    }

    static func decision(for cfp: WireCallForProposals, profile: SpecialistProfile, observation: Observation?, policy: any BiddingPolicy) -> CallDecision {
        if let detail = PlanBuilder.notActionable(profile, cfp) { return .notActionable(detail) }
        return .policy(observation.map(policy.decide) ?? .refuse(.notCapable))
    }

    private func answer(_ cfp: WireCallForProposals, with decision: BidDecision, on connection: FramedConnection) {
        switch decision {
        case .bid(let bid):
            proposals[WireMapping.ref(cfp.ref)] = cfp
            var propose = WirePropose()
            propose.ref = cfp.ref
            // The policy promises scenario seconds; the coordinator holds the agent to wall time.
            propose.etaS = bid.eta * Self.scenarioScale(config.timeScale)
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
        guard let category = IncidentCategory(name: cfp.category), let severity = Severity(name: cfp.severity) else {
            tasks[ref] = .some(nil)
            finish(ref, cfp)
            return
        }
        // The shared model draws the whole attempt, as the simulator does: its length (with the
        // rollback of a failed one) and its outcome. Nothing downstream draws again: the
        // simulated executor adds no time and no failures of its own.
        let work = model.draw(category, severity, random: &random)
        outcomes[ref] = work.outcome
        guard config.timeScale > 0 else {
            tasks[ref] = .some(nil)
            finish(ref, cfp)
            return
        }
        let seconds = work.duration
        guard let timer = try? LoopTimer(loop: loop) else {
            report(ref, failure: "cannot start the analysis timer")
            return
        }
        tasks[ref] = timer
        timer.start(afterMilliseconds: UInt64(seconds * 1000)) { [weak self] in self?.finish(ref, cfp) }
    }

    /// The attempt's time is up: report the failure drawn at award time (the attempt failed and
    /// was rolled back), or answer with the plan.
    func finish(_ ref: AuctionRef, _ cfp: WireCallForProposals) {
        guard let timer = tasks.removeValue(forKey: ref) else { return }
        timer?.close()
        if outcomes.removeValue(forKey: ref) == .failure {
            report(ref, failure: "remediation failed and was rolled back")
            return
        }
        switch PlanBuilder.plan(from: config.profile, for: cfp) {
        case .failure(let why):
            report(ref, failure: why.description, notActionable: why.missingEntity)
        case .success(let plan):
            var result = WireInformResult()
            result.ref = cfp.ref
            result.plan = plan
            sessionConnection?.send(.with { $0.informResult = result })
            onEvent?(.completed(incident: ref.incident.rawValue, playbook: plan.playbook))
        }
    }

    func report(_ ref: AuctionRef, failure reason: String, notActionable: Bool = false) {
        var failure = WireFailure()
        failure.ref = WireMapping.ref(ref)
        failure.reason = reason
        failure.notActionable = notActionable
        sessionConnection?.send(.with { $0.failure = failure })
        onEvent?(.failed(incident: ref.incident.rawValue, reason: reason))
    }

    /// The connection, once its session is established. An outcome sent on a connection still
    /// handshaking (an analysis that ends while the agent reconnects after a coordinator
    /// restart) is a frame the coordinator's handshake refuses with a Goodbye, which made the
    /// agent stop for good; the new session's welcome abandons that work anyway.
    private var sessionConnection: FramedConnection? { specialistID == nil ? nil : connection }
}
