/// The escalation policy. An incident is handed to humans for the reasons of `EscalationReason`:
/// no capable specialist for `noCapableTimeout`, its SLA at risk while it still waits,
/// `maxAttempts` real failures, a specialist saying it cannot be acted on, or its execution
/// stopped by a denied (or unanswered) approval or a rollback that did not finish. Everything
/// else (busy specialists, nobody connected yet, declines) is waiting.
extension Auctioneer {
    /// Hand the incident at `slot` to humans.
    mutating func escalate(_ slot: Int, _ reason: EscalationReason, detail: String, capablePresent: Bool? = nil, _ actions: inout [EngineAction]) {
        let escalation = Escalation(
            reason: reason, attempts: records[slot].setbacks, lastSetback: records[slot].lastSetback, detail: detail,
            capablePresent: capablePresent
        )
        conclude(slot, .escalated(escalation), &actions)
    }

    /// The executor stopped the winner's plan for a reason only people can settle (an approval
    /// denied or timed out, a rollback that did not finish): escalate now. Not a setback: the
    /// specialist's plan did not fail, so its track record is untouched.
    mutating func executionEscalated(_ ref: AuctionRef, _ outcome: ExecutionOutcome, _ reason: EscalationReason, _ actions: inout [EngineAction]) {
        guard let slot = recordOf.find(ref.incident), records[slot].round == ref.round, records[slot].phase == .executing else {
            actions.append(.ignored(ref, from: SpecialistID(UInt32.max), .notExecuting))
            return
        }
        escalate(slot, reason, detail: outcome.reason ?? reason.name, &actions)
    }

    /// No capable specialist is present: wait in the backlog (a joining one drains it) unless
    /// that has lasted `noCapableTimeout`.
    mutating func waitForCapable(_ slot: Int, _ now: Instant, _ actions: inout [EngineAction]) {
        markUnavailable(slot, now, &actions)
        guard !escalateIfUnavailableTooLong(slot, now, &actions) else { return }
        enterBacklog(slot, now, &actions)
    }

    /// A round ended without a bid and not for capacity (declines, silence): ask again after a
    /// growing delay, unless nobody has been willing for `noCapableTimeout`. Not an attempt.
    mutating func waitForBids(_ slot: Int, _ now: Instant, _ actions: inout [EngineAction]) {
        markUnavailable(slot, now, &actions)
        guard !escalateIfUnavailableTooLong(slot, now, &actions), !escalateIfSLAAtRisk(slot, now, &actions) else { return }
        records[slot].phase = .awaitingRetry
        records[slot].rechecks += 1
        actions.append(.backlogged(records[slot].ticket.id))
        actions.append(.armTimer(EngineTimer(.retry, records[slot].ref), at: now + config.recheckDelay(look: records[slot].rechecks)))
    }

    /// Start the "no capable specialist" clock for the incident at `slot` unless it runs already.
    mutating func markUnavailable(_ slot: Int, _ now: Instant, _ actions: inout [EngineAction]) {
        guard records[slot].unavailableSince < 0 else { return }
        records[slot].unavailableSince = now.seconds
        actions.append(.armTimer(EngineTimer(.availability, records[slot].ref), at: unavailableDeadline(slot)))
    }

    /// A capable specialist joined: for every incident of its categories still waiting (those
    /// its free slots did not take), the "nobody capable present, or every present one declined"
    /// condition is broken, so its clock stops. It waits for capacity from here, and its clock
    /// starts afresh only if the category empties again (`leave`) or the newcomer declines too
    /// (`waitForBids`). Without this, an incident that arrived while nobody was present was
    /// escalated `no_capable_specialist` ("willing to bid") with capable specialists present
    /// and none of them having declined it. Joins are rare, so one pass over the open records.
    mutating func stopWaitingClocks(for joined: SpecialistInfo) {
        for slot in recordOf.values where records[slot].unavailableSince >= 0 {
            let phase = records[slot].phase
            guard phase == .backlogged || phase == .awaitingRetry,
                  joined.skills[records[slot].ticket.category] >= config.minimumSkill else { continue }
            records[slot].unavailableSince = -1
        }
    }

    /// When the running "no capable specialist" clock of `slot` runs out.
    func unavailableDeadline(_ slot: Int) -> Instant {
        Instant(seconds: records[slot].unavailableSince) + config.noCapableTimeout
    }

    /// The availability timer fired: escalate if the incident still waits and nobody capable
    /// has come for the whole timeout.
    mutating func checkAvailability(_ slot: Int, _ now: Instant, _ actions: inout [EngineAction]) {
        let phase = records[slot].phase
        guard phase == .backlogged || phase == .awaitingRetry else { return }
        // Still nobody present: escalate if the timeout has run. Somebody present and the
        // incident waiting for capacity: the clock was stopped (`unavailableSince` < 0).
        _ = escalateIfUnavailableTooLong(slot, now, &actions)
    }

    private mutating func escalateIfUnavailableTooLong(_ slot: Int, _ now: Instant, _ actions: inout [EngineAction]) -> Bool {
        guard records[slot].unavailableSince >= 0, now >= unavailableDeadline(slot) else { return false }
        let category = records[slot].ticket.category
        let present = !specialists.eligible[category].isEmpty
        escalate(slot, .noCapableSpecialist, detail: "no capable \(category.name) specialist \(present ? "willing to bid" : "present") for \(Int(config.noCapableTimeout.rounded())) s",
                 capablePresent: present, &actions)
        return true
    }

    /// The incident at `slot` is about to wait: escalate it if its SLA is at risk (true), or
    /// arm the SLA risk timer the first time it waits.
    mutating func escalateIfSLAAtRisk(_ slot: Int, _ now: Instant, _ actions: inout [EngineAction]) -> Bool {
        let ticket = records[slot].ticket
        guard let point = config.slaRiskPoint(created: ticket.createdAt, deadline: ticket.slaDeadline) else { return false }
        if now >= point {
            let percent = Int(((config.slaRiskFraction ?? 1) * 100).rounded())
            escalate(slot, .slaAtRisk, detail: "still waiting for a specialist after \(percent)% of its \(ticket.severity.name) SLA window", &actions)
            return true
        }
        if !records[slot].slaTimerArmed {
            records[slot].slaTimerArmed = true
            actions.append(.armTimer(EngineTimer(.slaRisk, records[slot].ref), at: point))
        }
        return false
    }
}
