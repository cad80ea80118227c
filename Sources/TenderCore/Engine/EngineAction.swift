/// Something the driver must do, or may record, because of an event.
///
/// Message actions are one per recipient so that a reused action buffer never allocates.
public enum EngineAction: Sendable {
    /// Send a call for proposals for `ref` to one specialist (FIPA cfp).
    case sendCFP(AuctionRef, to: SpecialistID, replyBy: Instant)
    /// Tell the winner its proposal is accepted (FIPA accept-proposal).
    case sendAccept(AuctionRef, to: SpecialistID, commitBy: Instant)
    /// Tell a bidder its proposal is rejected, and why (FIPA reject-proposal).
    case sendReject(AuctionRef, to: SpecialistID, RejectReason)
    /// Tell a participant the initiator has withdrawn (FIPA cancel).
    case sendCancel(AuctionRef, to: SpecialistID)
    /// Call back with `.timerFired(timer)` at `at`.
    case armTimer(EngineTimer, at: Instant)
    /// A round was opened with this many invitations; `ref.round > 1` is a re-announcement.
    case announced(AuctionRef, invited: Int)
    /// A round closed with an award.
    case awarded(Award)
    /// The incident waits for capacity.
    case backlogged(IncidentID)
    /// The incident's auction failed this attempt (no acceptable bid, or the winner failed or went
    /// silent); it will be re-announced after a backoff.
    case retrying(IncidentID, attempt: Int, Setback)
    /// The winner's plan is to be applied (only with `EngineConfig.executesPlans`): run it, then
    /// report `EngineEvent.executionFinished(ref, outcome)`. The incident stays open until then.
    case execute(AuctionRef, by: SpecialistID)
    /// The incident reached its one terminal state.
    case concluded(IncidentID, Conclusion)
    /// A message was dropped as a protocol error; the driver should log it.
    case ignored(AuctionRef, from: SpecialistID, IgnoredReason)
    /// An arriving incident reused the id of one still open; it was not taken in.
    case duplicateIncident(IncidentID)
}

/// Why an attempt did not succeed.
public enum Setback: UInt8, Sendable, Hashable {
    /// Nobody proposed (and capacity was not the reason).
    case noBids
    /// The winner reported failure.
    case winnerFailed
    /// The winner stayed silent past its commitment deadline.
    case winnerSilent
    /// The winner left the pool with the task unfinished.
    case winnerLeft
    /// The winner's plan failed while being applied and was rolled back.
    case executionRolledBack
    /// The executor refused the winner's plan (it failed validation, or approval was denied).
    case planRefused

    public var name: String {
        switch self {
        case .noBids: "no acceptable bid"
        case .winnerFailed: "the winner reported failure"
        case .winnerSilent: "the winner went silent past its commitment"
        case .winnerLeft: "the winner left the pool"
        case .executionRolledBack: "the winner's plan was rolled back"
        case .planRefused: "the winner's plan was refused by the executor"
        }
    }
}

/// The one way every incident's auction ends.
public enum Conclusion: Sendable, Hashable {
    case resolved(by: SpecialistID)
    /// Handed to humans; the escalation names its reason (`EscalationReason`).
    case escalated(Escalation)
    /// Withdrawn. With `executesPlans`, a driver executing the plan must stop and roll back.
    case cancelled

    public var name: String {
        switch self {
        case .resolved: "resolved"
        case .escalated: "escalated"
        case .cancelled: "cancelled"
        }
    }
}

/// Why an incoming message changed nothing.
public enum IgnoredReason: UInt8, Sendable, Hashable {
    /// An outcome or refusal for an auction that is closed or in another round.
    case stale
    /// An outcome from a specialist that is not the current winner.
    case notWinner
    /// A refusal from a specialist that was not invited, or answered already.
    case unexpectedRefusal
    /// An execution outcome for an incident that is not executing that round's plan.
    case notExecuting
}
