import TenderConfig

/// Several runs of one scenario: allocators × seeds. Every allocator sees the same seeds, and a
/// seed fixes the storm (arrival streams, cascades, crashes, each incident's difficulty) whatever
/// the allocator, so allocators are compared on identical storms (common random numbers).
public struct SimulationBatch: Sendable {
    public var scenario: Scenario
    public var allocators: [String]
    public var policy: String?
    public var seeds: [UInt64]

    public init(scenario: Scenario, allocators: [String], policy: String? = nil, seed: UInt64? = nil, seedCount: Int = 1) {
        self.scenario = scenario
        self.allocators = allocators
        self.policy = policy
        let base = seed ?? scenario.seed
        seeds = (0..<UInt64(max(seedCount, 1))).map { base &+ $0 }
    }

    public var runCount: Int { allocators.count * seeds.count }

    /// Run everything in order (allocator-major). `progress(done, total)` counts runs, fractionally.
    public func run(progress: ((Double, Int) -> Void)? = nil) throws -> [(allocator: String, results: [SimulationResult])] {
        var done = 0
        return try allocators.map { allocator in
            let results = try seeds.map { seed in
                let simulation = try Simulation(scenario: scenario, options: SimulationOptions(allocator: allocator, policy: policy, seed: seed))
                let result = simulation.run { fraction in progress?(Double(done) + fraction, runCount) }
                done += 1
                return result
            }
            return (allocator, results)
        }
    }

    /// One JSON value per allocator: the summary itself for one seed, else the seed aggregate.
    public static func json(_ results: [SimulationResult]) throws -> JSONValue {
        results.count == 1 ? try JSONValue.from(results[0].summary) : try SeedAggregate.aggregate(results.map(\.summary))
    }
}
