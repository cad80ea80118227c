import TenderConfig

/// Several runs of one scenario: entries (an allocator, with a bidding policy for contract net)
/// × seeds. Every entry sees the same seeds, and a seed fixes the storm (arrival streams,
/// cascades, crashes, each incident's difficulty) whatever the allocator, so entries are compared
/// on identical storms (common random numbers).
public struct SimulationBatch: Sendable {
    /// One row of a comparison: how it is labelled, which allocator, which bidding policy.
    public struct Entry: Sendable, Hashable {
        public var label: String
        public var allocator: String
        /// nil: the scenario's policy.
        public var policy: String?

        public init(label: String, allocator: String, policy: String? = nil) {
            self.label = label
            self.allocator = allocator
            self.policy = policy
        }
    }

    public var scenario: Scenario
    public var entries: [Entry]
    public var seeds: [UInt64]
    /// Each run stops with an error above this many incidents open at once.
    public var maxOpenIncidents = SimulationOptions.defaultMaxOpenIncidents

    public init(scenario: Scenario, entries: [Entry], seed: UInt64? = nil, seedCount: Int = 1) {
        self.scenario = scenario
        self.entries = entries
        let base = seed ?? scenario.seed
        seeds = (0..<UInt64(max(seedCount, 1))).map { base &+ $0 }
    }

    /// Each allocator once, labelled by its name, all with `policy`.
    public init(scenario: Scenario, allocators: [String], policy: String? = nil, seed: UInt64? = nil, seedCount: Int = 1) {
        self.init(scenario: scenario, entries: allocators.map { Entry(label: $0, allocator: $0, policy: policy) }, seed: seed, seedCount: seedCount)
    }

    public var runCount: Int { entries.count * seeds.count }

    /// Incidents one run is expected to admit: the stop count, or the streams' mean rate over
    /// the duration (cascades come on top).
    public var expectedArrivals: Double {
        switch scenario.stop {
        case .incidents(let count): Double(count)
        case .duration(let seconds): scenario.nominalRate * seconds
        }
    }

    /// Run everything in order (entry-major). `progress(done, total)` counts runs, fractionally.
    /// Each run list is labelled with its entry's label.
    public func run(progress: ((Double, Int) -> Void)? = nil) throws -> [(allocator: String, results: [SimulationResult])] {
        var done = 0
        return try entries.map { entry in
            let results = try seeds.map { seed in
                var options = SimulationOptions(allocator: entry.allocator, policy: entry.policy, seed: seed)
                options.maxOpenIncidents = maxOpenIncidents
                let simulation = try Simulation(scenario: scenario, options: options)
                let result = simulation.run { fraction in progress?(Double(done) + fraction, runCount) }
                if let reason = result.stoppedEarly { throw SimulationError("\(entry.label), seed \(seed): \(reason)") }
                done += 1
                return result
            }
            return (entry.label, results)
        }
    }

    /// One JSON value per allocator: the summary itself for one seed, else the seed aggregate.
    public static func json(_ results: [SimulationResult]) throws -> JSONValue {
        results.count == 1 ? try JSONValue.from(results[0].summary) : try SeedAggregate.aggregate(results.map(\.summary))
    }
}
