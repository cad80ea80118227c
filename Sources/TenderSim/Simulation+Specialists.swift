import TenderCore

/// The specialists' side: answering calls for proposals with their bidding policy, doing the
/// work, failing and rolling back, and reporting.
extension Simulation {
    mutating func deliver(_ message: SpecialistMessage) {
        switch message {
        case .cfp(let ref, let to):
            answerCFP(ref, to)
        case .accept(let ref, let to):
            startTask(ref, to.index)
        case .reject(_, let to):
            specialists[to.index].recentWinRate *= 0.95
        case .cancel(let ref, let to):
            // The coordinator withdrew: drop the task if it is still in hand.
            guard let slot = ledger.find(ref.incident), ledger[slot].taskSpecialist == Int32(to.index),
                  ledger[slot].taskRound == ref.round else { return }
            endTask(slot, to.index)
        }
    }

    mutating func answerCFP(_ ref: AuctionRef, _ id: SpecialistID) {
        let index = id.index
        // A crashed specialist answers nothing; the engine counted its invitation as refused.
        guard specialists[index].present, answersCFPs else { return }
        guard let slot = ledger.find(ref.incident) else {
            send(.toEngine(.refusal(ref, id, .declined)))
            return
        }
        let observation = observation(slot, index)
        let decision: BidDecision
        if let own = groupPolicies.isEmpty ? nil : groupPolicies[specialists[index].group] {
            decision = own.decide(observation)
        } else if let honestPolicy {
            decision = honestPolicy.decide(observation)
        } else if let sheddingPolicy {
            decision = sheddingPolicy.decide(observation)
        } else {
            decision = policy!.decide(observation)
        }
        options.observer?.answered(ref, by: id, decision, at: now)
        switch decision {
        case .bid(let bid): send(.toEngine(.proposal(ref, id, bid)))
        case .refuse(let reason): send(.toEngine(.refusal(ref, id, reason)))
        }
    }

    /// What specialist `index`'s bidding policy sees of the incident in `slot` now, read field
    /// by field from the flat tables (no specialist or incident state is copied whole) into the
    /// shared model's one constructor, as the live agent's.
    @inline(__always)
    func observation(_ slot: Int, _ index: Int) -> Observation {
        let category = ledger[slot].category
        let severity = ledger[slot].severity
        return SpecialistWorkModel.observation(
            kind: specialists[index].info.kind, category: category, severity: severity,
            age: now - ledger[slot].arrivedAt, slackToSLA: ledger[slot].slaDeadline - now,
            skill: skillTable[index &* 4 &+ category.rawValue],
            expectedService: expectedTable[index &* 16 &+ SimulatedSpecialist.index(category, severity)],
            load: specialists[index].tasks.count, capacity: capacityTable[index], queue: 0,
            recentWinRate: specialists[index].recentWinRate, stormIntensity: stormMeter.intensity,
            invited: Int(ledger[slot].invited), incident: ledger[slot].id.rawValue
        )
    }

    /// The draw for the next attempt at the incident in `slot` by specialist `index`. Pure: the
    /// same slot, attempt and specialist always give the same plan.
    @inline(__always)
    func plannedTask(_ slot: Int, _ index: Int) -> TaskPlan {
        let state = ledger[slot]
        var random = SeededGenerator(seed: state.seed &+ state.attempts &* 0x9E37_79B9_7F4A_7C15)
        return SimulatedSpecialist.plan(
            serviceTable[index &* 16 &+ SimulatedSpecialist.index(state.category, state.severity)],
            failureProbability: failureTable[index &* 4 &+ state.category.rawValue],
            rollbackFactor: rollbackTable[index], random: &random
        )
    }

    mutating func startTask(_ ref: AuctionRef, _ index: Int) {
        guard specialists[index].present, let slot = ledger.find(ref.incident), !ledger[slot].concluded else { return }
        let duration: Double
        if ledger[slot].plannedBy == Int32(index), ledger[slot].plannedAttempt == ledger[slot].attempts {
            duration = ledger[slot].plannedDuration
            ledger[slot].executionApplied = ledger[slot].plannedApplied
            ledger[slot].executionTime = ledger[slot].plannedRollback
        } else {
            let plan = plannedTask(slot, index)
            duration = plan.duration
            ledger[slot].executionApplied = plan.applied
            ledger[slot].executionTime = plan.execution
        }
        metrics.account(index, busy: specialists[index].busy, capacity: specialists[index].info.capacity, now: now)
        specialists[index].take(slot)
        ledger[slot].startAttempt(by: index, round: ref.round, at: now)
        // The specialist reports its plan; the engine then has it executed (`execute`).
        schedule(.workDone(ref, specialists[index].info.id, .result), at: now + duration)
    }

    /// The engine has the winner's plan executed: its outcome was drawn with the attempt.
    mutating func execute(_ ref: AuctionRef, by specialist: SpecialistID) {
        guard let slot = ledger.find(ref.incident) else { return }
        let applied = ledger[slot].executionApplied
        schedule(.executed(ref, specialist, applied: applied), at: now + ledger[slot].executionTime)
    }

    mutating func executed(_ ref: AuctionRef, applied: Bool) {
        if !applied, let slot = ledger.find(ref.incident), ledger[slot].measured { metrics.rollbacks += 1 }
        drive(.executionFinished(ref, applied ? .applied : .rolledBack(reason: "a step failed; completed steps undone")))
    }

    mutating func workDone(_ ref: AuctionRef, _ id: SpecialistID, _ outcome: OutcomeKind) {
        let index = id.index
        // Aborted meanwhile (cancelled, or the specialist crashed): nothing to report.
        guard let slot = ledger.find(ref.incident), ledger[slot].taskSpecialist == Int32(index),
              ledger[slot].taskRound == ref.round else { return }
        if outcome == .failure, ledger[slot].measured { metrics.rollbacks += 1 }
        endTask(slot, index)
        send(.toEngine(.outcome(ref, id, outcome)))
    }

    /// The specialist stops working on the incident in `slot`, finished or not.
    mutating func endTask(_ slot: Int, _ index: Int) {
        metrics.account(index, busy: specialists[index].busy, capacity: specialists[index].present ? specialists[index].info.capacity : 0, now: now)
        specialists[index].drop(slot)
        if ledger[slot].measured { metrics.fairness.record(index, work: now - ledger[slot].taskStart) }
        ledger[slot].taskSpecialist = -1
        ledger.releaseIfDone(slot)
    }
}
