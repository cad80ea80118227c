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
    /// Override the scenario's `reputation` (awards weigh track records).
    public var reputation: Bool?

    public init(allocator: String? = nil, policy: String? = nil, seed: UInt64? = nil) {
        self.allocator = allocator
        self.policy = policy
        self.seed = seed
    }
}

/// Why a scenario cannot be simulated as asked.
public struct SimulationError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
