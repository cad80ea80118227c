import Histogram
import TenderCore

/// Counters and latency histograms the coordinator keeps as it runs; `summary` turns them into
/// the figures `tender up` and `tender bench` print.
public struct CoordinatorStats {
    public var submitted = 0
    /// Every "overloaded" reply: the coordinator full (`maxOpenIncidents`) or over its
    /// admission limit.
    public var rejectedOverloaded = 0
    /// The part of `rejectedOverloaded` refused by the adaptive admission limit.
    public var rejectedByAdmission = 0
    public var auctions = 0
    public var reauctions = 0
    public var awards = 0
    public var backlogged = 0
    public var resolved = 0
    public var escalated = 0
    public var cancelled = 0
    public var specialistsJoined = 0
    public var specialistsLeft = 0
    public var badConnections = 0
    /// Submissions whose `ref` was already stored: answered with the original id, nothing created.
    public var duplicates = 0
    /// Connections refused because a listener was at its limit.
    public var refusedConnections = 0
    /// Intake connections closed for idling.
    public var idleConnectionsClosed = 0
    /// Sessions closed because a newer session took their name.
    public var sessionsReplaced = 0
    /// Frames not sent because they were over the peers' limit.
    public var framesRefused = 0
    /// Round opened (CFPs out) to award decided, in microseconds.
    public var cfpToAward = Histogram<UInt64>(highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: .three)
    /// Incident accepted to resolved, in milliseconds.
    public var timeToResolve = Histogram<UInt64>(highestTrackableValue: 86_400_000, numberOfSignificantValueDigits: .three)
    public var fairness = FairnessTracker(capabilities: [])
    /// How executions of winning plans ended (`PlanExecutor`), recovered ones included.
    public var executionsApplied = 0
    public var executionsRolledBack = 0
    public var executionsRefused = 0

    public init() {}

    public var concluded: Int { resolved + escalated + cancelled }

    public func summary() -> CoordinatorSummary {
        func seconds(_ percentile: Double) -> Double {
            timeToResolve.totalCount == 0 ? 0 : Double(timeToResolve.valueAtPercentile(percentile)) / 1000
        }
        let fairness = fairness.snapshot
        return CoordinatorSummary(
            incidents: submitted, resolved: resolved, escalated: escalated, cancelled: cancelled,
            reauctions: reauctions, auctions: auctions, overloadedReplies: rejectedOverloaded,
            timeToResolveSeconds: .init(p50: seconds(50), p90: seconds(90), p99: seconds(99), max: seconds(100)),
            jainIndex: fairness.normalised.jain.isFinite ? fairness.normalised.jain : 1,
            specialistsJoined: specialistsJoined, specialistsLeft: specialistsLeft,
            executionsApplied: executionsApplied, executionsRolledBack: executionsRolledBack, executionsRefused: executionsRefused
        )
    }
}

/// The end-of-run figures.
public struct CoordinatorSummary: Sendable, Codable, Hashable {
    public struct Percentiles: Sendable, Codable, Hashable {
        public var p50: Double
        public var p90: Double
        public var p99: Double
        public var max: Double
    }

    public var incidents: Int
    public var resolved: Int
    public var escalated: Int
    public var cancelled: Int
    public var reauctions: Int
    public var auctions: Int
    public var overloadedReplies: Int
    public var timeToResolveSeconds: Percentiles
    /// Jain's index over work normalised by capability (1 is perfectly fair).
    public var jainIndex: Double
    public var specialistsJoined: Int
    public var specialistsLeft: Int
    public var executionsApplied = 0
    public var executionsRolledBack = 0
    public var executionsRefused = 0

    /// snake_case, like every JSON output (docs/JSON.md).
    enum CodingKeys: String, CodingKey {
        case incidents, resolved, escalated, cancelled, reauctions, auctions
        case overloadedReplies = "overloaded_replies"
        case timeToResolveSeconds = "time_to_resolve_s"
        case jainIndex = "jain_index"
        case specialistsJoined = "specialists_joined"
        case specialistsLeft = "specialists_left"
        case executionsApplied = "executions_applied"
        case executionsRolledBack = "executions_rolled_back"
        case executionsRefused = "executions_refused"
    }
}
