/// Something that happened, handed to the engine by its driver.
public enum EngineEvent: Sendable {
    /// A new incident to allocate.
    case incidentArrived(IncidentTicket)
    /// A specialist answered a call for proposals with a bid (FIPA propose).
    case proposal(AuctionRef, from: SpecialistID, Bid)
    /// A specialist declined a call for proposals (FIPA refuse).
    case refusal(AuctionRef, from: SpecialistID, RefusalReason)
    /// An awarded specialist reported how the task ended (FIPA inform-done, inform-result, failure).
    case outcome(AuctionRef, from: SpecialistID, OutcomeKind)
    /// A specialist says the incident cannot be acted on as reported, and why (a playbook needs an
    /// entity it lacks). To a call for proposals this is a refusal (`RefusalReason.notActionable`);
    /// from the winner, a failure no retry can fix. Either way the incident escalates at once when
    /// every capable answer says so (`EscalationReason.notActionable`, with `detail`).
    case notActionable(AuctionRef, from: SpecialistID, detail: String)
    /// How applying the winner's plan ended (after `EngineAction.execute`).
    case executionFinished(AuctionRef, ExecutionOutcome)
    /// Applying the winner's plan ended in a way only people can settle (after
    /// `EngineAction.execute`, instead of `.executionFinished`): a step denied by a person or by
    /// the approval timeout, or a rollback that did not finish. What ran was undone as far as it
    /// could be (`outcome`); the incident escalates at once with `reason`, whatever attempts are
    /// left, and is not re-auctioned. Not held against the specialist's track record.
    case executionEscalated(AuctionRef, ExecutionOutcome, EscalationReason)
    /// A timer the engine asked for has come due.
    case timerFired(EngineTimer)
    /// The initiator withdraws the incident, whatever state its auction is in.
    case cancel(IncidentID)
    /// A specialist became available for calls.
    case specialistJoined(SpecialistInfo)
    /// A specialist is gone (disconnected, heartbeat lost, crashed): its open work is re-auctioned.
    case specialistLeft(SpecialistID)
}

/// A timer the engine asks its driver to arm. Timers are never cancelled: when one fires after the
/// state it guarded has moved on, the engine recognises it as stale and ignores it.
public struct EngineTimer: Hashable, Sendable {
    public enum Kind: UInt8, Sendable {
        /// The reply-by deadline of a call for proposals.
        case replyDeadline
        /// The awarded specialist's commitment deadline.
        case commitment
        /// The backoff before re-announcing has passed.
        case retry
        /// Look again at an incident waiting in the backlog after refusals for capacity (a
        /// specialist busy with outside work holds no Tender task whose outcome would wake it).
        case recheck
        /// `noCapableTimeout` may have passed with no capable specialist (round ignored).
        case availability
        /// The incident's SLA risk point (round ignored).
        case slaRisk
    }

    public var kind: Kind
    public var ref: AuctionRef

    public init(_ kind: Kind, _ ref: AuctionRef) {
        self.kind = kind
        self.ref = ref
    }
}

/// How applying a winner's plan ended: the executor's result and the engine's
/// `.executionFinished` event, one type for both.
public enum ExecutionOutcome: Sendable, Hashable {
    /// Every step was applied: the incident is resolved.
    case applied
    /// A step failed, timed out or was denied, and the completed steps were undone in reverse
    /// order. A real failure: the incident is re-auctioned without that specialist, or escalated
    /// once attempts run out.
    case rolledBack(reason: String)
    /// The plan was refused before anything ran (invalid for the specialist's profile, approval
    /// denied). Counted like a rollback.
    case refused(reason: String)

    /// The store's and `history --json`'s name for it.
    public var name: String {
        switch self {
        case .applied: "applied"
        case .rolledBack: "rolled_back"
        case .refused: "refused"
        }
    }

    public var reason: String? {
        switch self {
        case .applied: nil
        case .rolledBack(let reason), .refused(let reason): reason
        }
    }
}
