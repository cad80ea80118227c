/// One round of the auction for an incident. Replies carry it so that answers to an earlier
/// round are recognised as late rather than mistaken for answers to the current one.
public struct AuctionRef: Hashable, Sendable, CustomStringConvertible {
    public var incident: IncidentID
    public var round: UInt32
    @inlinable
    public init(incident: IncidentID, round: UInt32) {
        self.incident = incident
        self.round = round
    }
    public var description: String { "\(incident)/r\(round)" }
}

/// A specialist's proposal: when it expects to have the incident resolved.
public struct Bid: Sendable, Hashable {
    /// Expected seconds from award to resolution, including any wait for its own free slot.
    public var eta: Double
    /// The bidder's own probability of success in [0, 1].
    public var confidence: Double

    @inlinable
    public init(eta: Double, confidence: Double = 1) {
        self.eta = eta
        self.confidence = confidence
    }
}

/// Why a specialist declined a call for proposals.
public enum RefusalReason: UInt8, Sendable, Hashable, CaseIterable {
    /// Every slot is busy; the incident should wait in the backlog for capacity.
    case atCapacity
    /// It lacks the skill for this category.
    case notCapable
    /// Its bidding policy chose not to bid (load shedding, strategy).
    case declined
    /// The incident cannot be acted on as reported, by anyone: a playbook needs an entity the
    /// incident lacks (security/high without `user`). Not a matter of capacity or skill, so the
    /// engine escalates at once (`not_actionable`) instead of asking again. Drivers pass the
    /// detail with `EngineEvent.notActionable`.
    case notActionable

    public var name: String {
        switch self {
        case .atCapacity: "at-capacity"
        case .notCapable: "not-capable"
        case .declined: "declined"
        case .notActionable: "not-actionable"
        }
    }
}

/// Why the initiator sent reject-proposal.
public enum RejectReason: UInt8, Sendable, Hashable {
    /// Another bid won.
    case outbid
    /// The proposal arrived after the round's reply-by deadline or after the round closed.
    case late
    /// The bidder was not invited to this round.
    case notInvited
    /// The bidder had already answered this round.
    case duplicate
    /// The bidder has no free slot by the initiator's count, so it cannot be awarded.
    case noCapacity

    public var name: String {
        switch self {
        case .outbid: "outbid"
        case .late: "late"
        case .notInvited: "not-invited"
        case .duplicate: "duplicate"
        case .noCapacity: "no-capacity"
        }
    }
}

/// What an awarded specialist reports back (FIPA inform-done, inform-result, failure).
public enum OutcomeKind: UInt8, Sendable, Hashable {
    case done
    case result
    case failure

    public var isSuccess: Bool { self != .failure }
}

/// The decision that closed a round.
public struct Award: Sendable, Hashable {
    public var ref: AuctionRef
    public var winner: SpecialistID
    /// The winning bid; nil when a direct allocator chose without an auction.
    public var bid: Bid?
    /// The winner's score under the award rule (lower wins): with reputation,
    /// `bid.eta × correction + expectedFailureCost`.
    public var score: Double
    /// The calibration the winner's bid was multiplied by (1 without reputation).
    public var correction: Double = 1
    /// Expected cost of a failure added to the winner's score, in seconds (0 without reputation).
    public var expectedFailureCost: Double = 0
    /// Vickrey settlement: the best losing score, or the winner's own when it bid alone.
    /// Recorded for analysis of truthful bidding; it changes nothing in the allocation.
    public var secondPrice: Double
    /// How many proposals the round received.
    public var proposals: Int
    /// When the winner must have reported an outcome.
    public var commitBy: Instant
    /// Every proposal scored and what separated the winner from the runner-up; filled only with
    /// `EngineConfig.explainsAwards` (the live coordinator), so the simulator allocates nothing.
    public var explanation: AwardExplanation?
}
