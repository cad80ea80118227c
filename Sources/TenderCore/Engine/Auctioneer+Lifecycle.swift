/// Outcomes, timers, retries, cancellation, departures and conclusion.
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
        specialists.addLoad(from, -1)
        if kind.isSuccess {
            conclude(slot, .resolved(by: from), &actions)
        } else {
            setback(slot, .winnerFailed, now, &actions)
        }
        drainBacklog(into: from, now, &actions)
    }

    mutating func fire(_ timer: EngineTimer, _ now: Instant, _ actions: inout [EngineAction]) {
        // Timers are never disarmed; one whose round or phase has moved on is simply stale.
        guard let slot = recordOf[timer.ref.incident], records[slot].round == timer.ref.round else { return }
        switch (timer.kind, records[slot].phase) {
        case (.replyDeadline, .announcing):
            close(slot, now, &actions)
        case (.commitment, .awarded):
            let winner = records[slot].winner
            actions.append(.sendCancel(records[slot].ref, to: winner))
            specialists.addLoad(winner, -1)
            setback(slot, .winnerSilent, now, &actions)
            drainBacklog(into: winner, now, &actions)
        case (.retry, .awaitingRetry):
            announce(slot, now, &actions)
        default:
            return
        }
    }

    /// An attempt failed: back off and re-announce, or escalate once attempts run out.
    mutating func setback(_ slot: Int, _ why: Setback, _ now: Instant, _ actions: inout [EngineAction]) {
        records[slot].setbacks += 1
        let attempts = records[slot].setbacks
        guard attempts < config.maxAttempts else {
            conclude(slot, .escalated(after: why), &actions)
            return
        }
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
        case .awaitingRetry, .backlogged:
            // A backlog entry is skipped when it surfaces, since its record is gone.
            conclude(slot, .cancelled, &actions)
        }
    }

    /// A specialist is gone: its awarded tasks count as failed attempts, and its unanswered
    /// invitations as refusals, so open rounds still close early.
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
