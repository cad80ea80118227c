/// The discrete actions of a learned bidder: refuse, or bid the honest ETA times one of a few
/// multipliers. Multipliers below 1 claim to be faster than the honest estimate, above 1 ask
/// for slack (which loses auctions to honest rivals: a soft way to decline).
public struct BidActions: Sendable, Codable, Hashable {
    /// Multipliers on the honest ETA, action `k + 1` for multiplier `k`; action 0 refuses.
    public var multipliers: [Double]
    /// Skill below which bidding is masked (as `HonestETAPolicy.minimumSkill`).
    public var minimumSkill: Double

    public static let standard = BidActions(multipliers: [0.8, 1, 1.5, 3], minimumSkill: 0.1)

    public init(multipliers: [Double], minimumSkill: Double) {
        self.multipliers = multipliers
        self.minimumSkill = minimumSkill
    }

    public var count: Int { multipliers.count + 1 }

    /// Whether the specialist may bid at all: capable, and with a free slot. Refusing is always
    /// allowed, so a mask never rules out every action.
    @inlinable
    public func canBid(_ observation: Observation) -> Bool {
        observation.skill >= minimumSkill && observation.load < observation.capacity
    }

    /// The decision that action `action` stands for. A capable specialist's refusal is sent as
    /// `atCapacity`, as `LoadSheddingPolicy` sheds load: the incident waits in the backlog for a
    /// slot rather than being counted a failed attempt (which leads to escalation).
    @inlinable
    public func decision(_ action: Int, _ observation: Observation) -> BidDecision {
        guard action > 0, action <= multipliers.count, canBid(observation) else {
            return .refuse(observation.skill < minimumSkill ? .notCapable : .atCapacity)
        }
        return .bid(Bid(eta: observation.honestETA * multipliers[action - 1], confidence: observation.skill))
    }
}
