/// Outcomes, execution, timers, retries, cancellation, departures and conclusion.
extension Auctioneer {
    mutating func report(_ ref: AuctionRef, _ from: SpecialistID, _ kind: OutcomeKind, _ now: Instant, _ actions: inout [EngineAction]) {
        guard let slot = recordOf.find(ref.incident), records[slot].round == ref.round, records[slot].phase == .awarded else {
            actions.append(.ignored(ref, from: from, .stale))
            return
        }
        guard records[slot].winner == from else {
            actions.append(.ignored(ref, from: from, .notWinner))
            return
        }
        // The specialist's part is over either way; a plan being executed holds no slot of its.
        specialists.addLoad(from, -1)
        switch kind {
        case .failure:
            setback(slot, .winnerFailed, now, &actions)
        case .result where config.executesPlans:
            records[slot].phase = .executing
            actions.append(.execute(ref, by: from))
        case .done, .result:
            recordSuccess(slot, now)
            conclude(slot, .resolved(by: from), &actions)
        }
        drainBacklog(into: from, now, &actions)
    }

    /// A specialist found the incident not actionable: a refusal while announcing, a failure no
    /// retry can fix from the winner.
    mutating func notActionable(_ ref: AuctionRef, _ from: SpecialistID, _ detail: String, _ now: Instant, _ actions: inout [EngineAction]) {
        guard let slot = recordOf.find(ref.incident), records[slot].round == ref.round else {
            actions.append(.ignored(ref, from: from, .stale))
            return
        }
        switch records[slot].phase {
        case .announcing:
            if records[slot].notActionableDetail.isEmpty { records[slot].notActionableDetail = detail }
            refuse(ref, from, .notActionable, now, &actions)
        case .awarded where records[slot].winner == from:
            specialists.addLoad(from, -1)
            escalate(slot, .notActionable, detail: detail, &actions)
            drainBacklog(into: from, now, &actions)
        case .awarded:
            actions.append(.ignored(ref, from: from, .notWinner))
        default:
            actions.append(.ignored(ref, from: from, .stale))
        }
    }

    /// The executor reports on the winner's plan: applied resolves; a rollback or a refusal is a
    /// real failure, and that specialist is not asked again for this incident (while another is).
    mutating func executionFinished(_ ref: AuctionRef, _ outcome: ExecutionOutcome, _ now: Instant, _ actions: inout [EngineAction]) {
        guard let slot = recordOf.find(ref.incident), records[slot].round == ref.round, records[slot].phase == .executing else {
            actions.append(.ignored(ref, from: SpecialistID(UInt32.max), .notExecuting))
            return
        }
        let winner = records[slot].winner
        switch outcome {
        case .applied:
            recordSuccess(slot, now)
            conclude(slot, .resolved(by: winner), &actions)
        case .rolledBack:
            exclude(winner, at: slot)
            setback(slot, .executionRolledBack, now, &actions)
        case .refused:
            exclude(winner, at: slot)
            setback(slot, .planRefused, now, &actions)
        }
    }

    private mutating func exclude(_ specialist: SpecialistID, at slot: Int) {
        guard config.excludesFailedSpecialists else { return }
        if !records[slot].excluded.contains(specialist) { records[slot].excluded.append(specialist) }
    }

    mutating func fire(_ timer: EngineTimer, _ now: Instant, _ actions: inout [EngineAction]) {
        guard let slot = recordOf[timer.ref.incident] else { return }
        // Escalation checks look at the incident whatever its round; they re-check their
        // condition, so an early or repeated one changes nothing.
        switch timer.kind {
        case .availability:
            checkAvailability(slot, now, &actions)
            return
        case .slaRisk:
            let phase = records[slot].phase
            if phase == .backlogged || phase == .awaitingRetry { _ = escalateIfSLAAtRisk(slot, now, &actions) }
            return
        default:
            break
        }
        // Timers are never disarmed; one whose round or phase has moved on is simply stale.
        guard records[slot].round == timer.ref.round else { return }
        switch (timer.kind, records[slot].phase) {
        case (.replyDeadline, .announcing):
            close(slot, now, &actions)
        case (.commitment, .awarded):
            let winner = records[slot].winner
            actions.append(.sendCancel(records[slot].ref, to: winner))
            specialists.addLoad(winner, -1)
            setback(slot, .winnerSilent, now, &actions)
            drainBacklog(into: winner, now, &actions)
        case (.retry, .awaitingRetry), (.recheck, .backlogged):
            // A re-check leaves its backlog entry behind; `backlogEntry` marks it stale.
            announce(slot, now, &actions)
        default:
            return
        }
    }

    /// A real failure: back off and re-announce, or escalate once attempts run out.
    mutating func setback(_ slot: Int, _ why: Setback, _ now: Instant, _ actions: inout [EngineAction]) {
        recordFailure(slot, abandoned: why == .winnerSilent || why == .winnerLeft)
        records[slot].setbacks += 1
        records[slot].lastSetback = why
        let attempts = records[slot].setbacks
        guard attempts < config.maxAttempts else {
            escalate(slot, .attemptsExhausted, detail: "\(attempts) failed attempts, the last: \(why.name)", &actions)
            return
        }
        guard !escalateIfSLAAtRisk(slot, now, &actions) else { return }
        records[slot].phase = .awaitingRetry
        actions.append(.retrying(records[slot].ticket.id, attempt: attempts, why))
        actions.append(.armTimer(EngineTimer(.retry, records[slot].ref), at: now + config.backoff(afterAttempt: attempts)))
    }

    mutating func cancel(_ incident: IncidentID, _ now: Instant, _ actions: inout [EngineAction]) {
        guard let slot = recordOf[incident] else { return }
        let ref = records[slot].ref
        switch records[slot].phase {
        case .announcing:
            for (index, id) in records[slot].invited.enumerated() {
                if case .refused = records[slot].answers[index] { continue }
                actions.append(.sendCancel(ref, to: id))
            }
            endInvitations(slot)
            conclude(slot, .cancelled, &actions)
            refillIdleSlots(after: slot, now, &actions)
        case .awarded:
            let winner = records[slot].winner
            actions.append(.sendCancel(ref, to: winner))
            specialists.addLoad(winner, -1)
            conclude(slot, .cancelled, &actions)
            drainBacklog(into: winner, now, &actions)
        case .awaitingRetry, .backlogged, .executing:
            // A backlog entry is skipped when it surfaces, since its record is gone. An execution
            // in progress is the driver's to stop and roll back when it sees `.cancelled`.
            conclude(slot, .cancelled, &actions)
        }
    }

    /// A specialist is gone: its awarded tasks count as failed attempts, and its unanswered
    /// invitations as refusals, so open rounds still close early. Incidents left with nobody
    /// capable start the `noCapableTimeout` clock.
    mutating func leave(_ id: SpecialistID, _ now: Instant, _ actions: inout [EngineAction]) {
        guard specialists.info(id) != nil else { return }
        specialists.leave(id)
        for slot in recordOf.values.sorted() {
            switch records[slot].phase {
            case .awarded where records[slot].winner == id:
                setback(slot, .winnerLeft, now, &actions)
            case .announcing:
                guard let index = records[slot].invitation(of: id), case .pending = records[slot].answers[index] else { continue }
                records[slot].answers[index] = .refused(.declined)
                records[slot].pending -= 1
                if records[slot].pending == 0 { close(slot, now, &actions) }
            case .backlogged, .awaitingRetry:
                if specialists.eligible[records[slot].ticket.category].isEmpty { markUnavailable(slot, now, &actions) }
            default:
                continue
            }
        }
    }

    mutating func conclude(_ slot: Int, _ conclusion: Conclusion, _ actions: inout [EngineAction]) {
        let incident = records[slot].ticket.id
        actions.append(.concluded(incident, conclusion))
        recordOf[incident] = nil
        freeRecords.append(slot)
    }
}
