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
    }

    public var kind: Kind
    public var ref: AuctionRef

    public init(_ kind: Kind, _ ref: AuctionRef) {
        self.kind = kind
        self.ref = ref
    }
}
