import TenderCore

/// The boundary with the engine: hand it one event, then carry out the actions it returns.
extension Simulation {
    @inline(__always)
    mutating func drive(_ event: EngineEvent) {
        // The engine only appends, so the buffer is cleared now and then rather than before every
        // event (clearing is a call into the standard library); each call's actions start at `start`.
        if actions.count > 512 { actions.removeAll(keepingCapacity: true) }
        let start = actions.count
        engine.handle(event, at: Instant(seconds: now), into: &actions)
        apply(from: start)
    }

    mutating func deliver(_ message: EngineMessage) {
        switch message {
        case .proposal(let ref, let from, let bid): drive(.proposal(ref, from: from, bid))
        case .refusal(let ref, let from, let reason): drive(.refusal(ref, from: from, reason))
        case .outcome(let ref, let from, let kind): drive(.outcome(ref, from: from, kind))
        }
    }

    /// Carry out the engine's actions from `start` on. Indexed, not iterated, so no copy of the
    /// buffer is alive when the engine appends to it or it is cleared (which would then allocate).
    mutating func apply(from start: Int) {
        var index = start
        while index < actions.count {
            let action = actions[index]
            index += 1
            options.observer?.engineAction(action, at: now)
            switch action {
            case .sendCFP(let ref, let to, _):
                send(.toSpecialist(.cfp(ref, to)))
            case .sendAccept(let ref, let to, _):
                lastWinner = to.index
                send(.toSpecialist(.accept(ref, to)))
            case .sendReject(let ref, let to, _):
                send(.toSpecialist(.reject(ref, to)))
            case .sendCancel(let ref, let to):
                send(.toSpecialist(.cancel(ref, to)))
            case .armTimer(let timer, let at):
                if !isSurelyStale(timer, at.seconds) { schedule(.timer(timer), at: at.seconds) }
            case .announced(let ref, let invited):
                if let slot = ledger.find(ref.incident) {
                    ledger[slot].invited = Int32(clamping: invited)
                    if ref.round == 1, ledger[slot].measured { metrics.rounds += 1 }
                }
            case .awarded(let award):
                awarded(award)
            case .retrying(let incident, _, _):
                if let slot = ledger.find(incident), ledger[slot].measured { metrics.retries += 1 }
            case .concluded(let incident, let conclusion):
                concluded(incident, conclusion)
            case .execute(let ref, let by):
                execute(ref, by: by)
            case .backlogged, .ignored, .duplicateIncident:
                continue
            }
        }
    }

    mutating func awarded(_ award: Award) {
        guard let slot = ledger.find(award.ref.incident) else { return }
        let state = ledger[slot]
        guard state.measured else { return }
        metrics.allocation[award.winner.index &* 4 &+ state.category.rawValue] += 1
        if state.awardedAt < 0 {
            ledger[slot].awardedAt = now
            metrics.awarded += 1
            metrics.waitSum += now - state.arrivedAt
        }
    }

    mutating func concluded(_ incident: IncidentID, _ conclusion: Conclusion) {
        guard let slot = ledger.find(incident) else { return }
        let state = ledger[slot]
        options.observer?.concluded(
            incident, conclusion, category: state.category, severity: state.severity, arrivedAt: state.arrivedAt,
            slaDeadline: state.slaDeadline, at: now
        )
        if state.measured {
            switch conclusion {
            case .resolved: metrics.recordResolution(state.severity, arrivedAt: state.arrivedAt, deadline: state.slaDeadline, now: now)
            case .escalated: metrics.recordEscalation(state.severity)
            case .cancelled: metrics.cancelled += 1
            }
        }
        ledger[slot].concluded = true
        ledger.releaseIfDone(slot)
    }

    /// Whether a timer will certainly find its round moved on. Reply deadlines: every present
    /// specialist answers a CFP at once and a departed one counts as refused, so with a round
    /// trip inside the window every round closes early. Commitments: the simulator knows when
    /// the task it is about to start ends; a winner that crashes is handled by its departure.
    @inline(__always)
    mutating func isSurelyStale(_ timer: EngineTimer, _ at: Double) -> Bool {
        guard options.skipStaleTimers else { return false }
        switch timer.kind {
        case .replyDeadline:
            return skipReplyDeadlines
        case .commitment:
            guard let slot = ledger.find(timer.ref.incident) else { return false }
            let plan = plannedTask(slot, lastWinner)
            ledger[slot].remember(plan, by: lastWinner)
            let reportAt = now + latency + plan.duration + latency
            return reportAt < at
        case .retry, .recheck, .availability, .slaRisk:
            return false
        }
    }
}
