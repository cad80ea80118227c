/// A specialist's answer to a call for proposals.
public enum BidDecision: Sendable, Hashable {
    case refuse(RefusalReason)
    case bid(Bid)
}

/// Decides how a specialist answers calls for proposals. Heuristics and trained (PPO) policies
/// share this protocol, so the simulator and live specialists run whichever one they are given.
public protocol BiddingPolicy: Sendable {
    /// The name used in scenarios, on the command line and in reports.
    var name: String { get }
    func decide(_ observation: Observation) -> BidDecision
}

/// Bids its honest expected completion time; refuses only when it cannot do the work.
public struct HonestETAPolicy: BiddingPolicy {
    /// Skill below which it refuses as not capable.
    public var minimumSkill: Double
    /// Multiplies every bid: 1 is honest; 0.3 an optimist promising a third of its true time,
    /// 2 a sandbagger. For studying how awards treat dishonest bidders.
    public var bidMultiplier: Double

    public init(minimumSkill: Double = 0.1, bidMultiplier: Double = 1) {
        self.minimumSkill = minimumSkill
        self.bidMultiplier = bidMultiplier
    }

    public var name: String { "honest" }

    @inlinable
    public func decide(_ observation: Observation) -> BidDecision {
        guard observation.skill >= minimumSkill else { return .refuse(.notCapable) }
        guard observation.load < observation.capacity else { return .refuse(.atCapacity) }
        return .bid(Bid(eta: observation.honestETA * bidMultiplier, confidence: observation.skill))
    }
}

/// Honest bids until its load crosses a threshold, then refuses everything but critical incidents,
/// keeping headroom for emergencies.
public struct LoadSheddingPolicy: BiddingPolicy {
    /// Fraction of capacity above which non-critical calls are declined.
    public var threshold: Double
    public var honest: HonestETAPolicy

    public init(threshold: Double = 0.75, minimumSkill: Double = 0.1, bidMultiplier: Double = 1) {
        self.threshold = threshold
        honest = HonestETAPolicy(minimumSkill: minimumSkill, bidMultiplier: bidMultiplier)
    }

    public var name: String { "load-shedding" }

    @inlinable
    public func decide(_ observation: Observation) -> BidDecision {
        if observation.severity != .critical, observation.utilisation >= threshold, observation.load < observation.capacity {
            return .refuse(.atCapacity)
        }
        return honest.decide(observation)
    }
}

/// The built-in heuristic policies by name.
public enum HeuristicPolicies {
    public static func named(_ name: String) -> (any BiddingPolicy)? {
        switch name {
        case "honest", "honest-eta": HonestETAPolicy()
        case "load-shedding": LoadSheddingPolicy()
        default: nil
        }
    }

    public static let names = ["honest", "load-shedding"]
}
