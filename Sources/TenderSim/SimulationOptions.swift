import TenderCore

/// How to run a scenario, beyond what the scenario file says.
public struct SimulationOptions: Sendable {
    /// Override the scenario's allocator (`contract-net` or a baseline name).
    public var allocator: String?
    /// Override the scenario's bidding policy.
    public var policy: String?
    /// Override the scenario's seed.
    public var seed: UInt64?
    /// Samples taken for the report's time series over the run.
    public var samples = 200
    /// Leave out engine timers the simulator can prove will be stale when they fire: reply
    /// deadlines when every invitee answers within the window, and commitment deadlines of tasks
    /// known to finish before them. The engine ignores stale timers anyway; this only saves work.
    public var skipStaleTimers = true
    /// A bidding policy instance to use instead of one named by `policy` (training records its
    /// decisions this way, through the real simulator and engine).
    public var biddingPolicy: (any BiddingPolicy)?
    /// Told of every incident's conclusion (training credits rewards to decisions this way).
    public var observer: (any SimulationObserver)?
    /// Override the scenario's `reputation` (awards weigh track records).
    public var reputation: Bool?
    /// Escalate incidents still waiting at this fraction of their SLA window (`sla_at_risk`), as
    /// a live coordinator does; nil (the default) measures breaches without paging on them.
    /// Training turns it on, so a bidder that leaves work waiting pays as it would live.
    public var slaRiskFraction: Double?
    /// Whether the result carries the TTR distribution (a ladder of 30 percentiles, for plots).
    /// Training and evaluation runs thousands of storms and never plot them: reading the
    /// percentiles was a quarter of the trainer's time.
    public var ttrDistribution = true
    /// Stop with an error once this many incidents are open at once: a storm the pool cannot
    /// keep up with otherwise grows its backlog (and memory) without bound, and its figures
    /// would measure only the queue. About 200 bytes each.
    public var maxOpenIncidents = SimulationOptions.defaultMaxOpenIncidents
    public static let defaultMaxOpenIncidents = 1_000_000

    public init(allocator: String? = nil, policy: String? = nil, seed: UInt64? = nil) {
        self.allocator = allocator
        self.policy = policy
        self.seed = seed
    }
}

/// Watches a simulation: incidents concluding, specialists answering calls, and every engine
/// action (the demo's transcript). Called on the simulation's thread, in order.
public protocol SimulationObserver: AnyObject, Sendable {
    func concluded(_ incident: IncidentID, _ conclusion: Conclusion, category: IncidentCategory, severity: Severity, arrivedAt: Double, slaDeadline: Double, at now: Double)
    func answered(_ ref: AuctionRef, by specialist: SpecialistID, _ decision: BidDecision, at now: Double)
    func engineAction(_ action: EngineAction, at now: Double)
}

extension SimulationObserver {
    public func answered(_ ref: AuctionRef, by specialist: SpecialistID, _ decision: BidDecision, at now: Double) {}
    public func engineAction(_ action: EngineAction, at now: Double) {}
}

/// Why a scenario cannot be simulated as asked.
public struct SimulationError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
