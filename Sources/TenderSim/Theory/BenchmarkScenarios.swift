import TenderConfig
import TenderCore

/// The scenarios `tender bench simulate` times.
public enum BenchmarkScenarios {
    /// M/M/10 at ρ = 0.8 through the engine's direct mode (least-loaded, FIFO backlog): the
    /// model SimPy is timed on.
    public static func mm10(incidents: Int, seed: UInt64 = 1) -> Scenario {
        QueueingScenario.make(servers: 10, utilisation: 0.8, incidents: incidents, allocator: "least-loaded", seed: seed)
    }

    /// Full contract-net auctions among 16 specialists (four of each trade, capacity 4, every one
    /// capable of every category so every free specialist is invited) bidding with the honest
    /// heuristic, under mixed Poisson arrivals at about 80% load.
    public static func contractNet16(incidents: Int, seed: UInt64 = 1) -> Scenario {
        let groups = SpecialistKind.allCases.map { kind in
            let skills = PerCategory { $0 == kind.homeCategory ? 0.9 : 0.4 }
            return SpecialistGroup(
                name: kind.rawValue, count: 4, kind: kind, capacity: 4, skills: skills,
                service: ServiceTimeModel(base: PerCategory(repeating: .exponential(mean: 1))),
                failure: FailureModel(base: 0, slope: 0)
            )
        }
        // Honest bids send each incident to a home specialist while one is free: home capacity
        // per category is 16 slots at skill 0.9, so 0.8 × 16 × 0.9 arrivals per second each.
        let rate = 0.8 * 16 * 0.9
        let arrivals = IncidentCategory.allCases.map { ArrivalStream(category: $0, severity: .medium, rate: rate) }
        return Scenario(
            name: "contract-net-16", seed: seed, stop: .incidents(incidents), specialists: groups,
            arrivals: arrivals, backlog: .fifo, allocator: "contract-net", policy: "honest"
        )
    }
}
