import TenderCore

/// The specialists' side: answering calls for proposals with their bidding policy, doing the
/// work, failing and rolling back, and reporting.
extension Simulation {
    mutating func deliver(_ message: SpecialistMessage) {
        switch message {
        case .cfp(let ref, let to):
            answerCFP(ref, to.index)
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

    mutating func answerCFP(_ ref: AuctionRef, _ index: Int) {
        // A crashed specialist answers nothing; the engine counted its invitation as refused.
        guard specialists[index].present, let policy else { return }
        let id = specialists[index].info.id
        guard let slot = ledger.find(ref.incident) else {
            send(.toEngine(.refusal(ref, id, .declined)))
            return
        }
        let observation = specialists[index].observe(ledger[slot], now: now, stormIntensity: stormIntensity)
        switch policy.decide(observation) {
        case .bid(let bid): send(.toEngine(.proposal(ref, id, bid)))
        case .refuse(let reason): send(.toEngine(.refusal(ref, id, reason)))
        }
    }

    /// The draw for the next attempt at the incident in `slot` by specialist `index`. Pure: the
    /// same slot, attempt and specialist always give the same plan.
    @inline(__always)
    func plannedTask(_ slot: Int, _ index: Int) -> TaskPlan {
        let state = ledger[slot]
        var random = SeededGenerator(seed: state.seed &+ state.attempts &* 0x9E37_79B9_7F4A_7C15)
        return specialists[index].plan(state.category, state.severity, random: &random)
    }

    mutating func startTask(_ ref: AuctionRef, _ index: Int) {
        guard specialists[index].present, let slot = ledger.find(ref.incident), !ledger[slot].concluded else { return }
        let plan = plannedTask(slot, index)
        specialists[index].recentWinRate = specialists[index].recentWinRate * 0.95 + 0.05
        metrics.account(index, busy: specialists[index].busy, capacity: specialists[index].info.capacity, now: now)
        specialists[index].tasks.append(slot)
        ledger[slot].attempts &+= 1
        ledger[slot].taskSpecialist = Int32(index)
        ledger[slot].taskRound = ref.round
        ledger[slot].taskStart = now
        schedule(.workDone(ref, specialists[index].info.id, plan.outcome), at: now + plan.duration)
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
        if let position = specialists[index].tasks.firstIndex(of: slot) {
            specialists[index].tasks.swapAt(position, specialists[index].tasks.count - 1)
            specialists[index].tasks.removeLast()
        }
        if ledger[slot].measured { metrics.fairness.record(index, work: now - ledger[slot].taskStart) }
        ledger[slot].taskSpecialist = -1
        ledger.releaseIfDone(slot)
    }
}
