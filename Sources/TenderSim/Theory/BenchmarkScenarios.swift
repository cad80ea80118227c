import TenderConfig
import TenderCore

/// The scenarios `tender bench simulate` times.
public enum BenchmarkScenarios {
    /// M/M/10 at ρ = 0.8 through the engine's direct mode (least-loaded, FIFO backlog): the
    /// model SimPy is timed on.
    public static func mm10(incidents: Int, seed: UInt64 = 1) -> Scenario {
        QueueingScenario.make(servers: 10, utilisation: 0.8, incidents: incidents, allocator: "least-loaded", seed: seed)
    }

    /// Full contract-net auctions among 16 specialists (four of each trade, capacity 4, nearly as
    /// good outside their trade as in it, so every specialist with a free slot is invited to
    /// every auction) bidding with the honest heuristic, under mixed Poisson arrivals at about
    /// 65% load.
    public static func contractNet16(incidents: Int, seed: UInt64 = 1) -> Scenario {
        let groups = SpecialistKind.allCases.map { kind in
            let skills = PerCategory { $0 == kind.homeCategory ? 1.0 : 0.9 }
            return SpecialistGroup(
                name: kind.rawValue, count: 4, kind: kind, capacity: 4, skills: skills,
                service: ServiceTimeModel(base: PerCategory(repeating: .exponential(mean: 1))),
                failure: FailureModel(base: 0, slope: 0)
            )
        }
        // 64 slots in all; at 65% load and skill ≈ 0.95 that is 0.65 × 64 × 0.95 / 4 per category.
        let rate = 0.65 * 64 * 0.95 / 4
        let arrivals = IncidentCategory.allCases.map { ArrivalStream(category: $0, severity: .medium, rate: rate) }
        return Scenario(
            name: "contract-net-16", seed: seed, stop: .incidents(incidents), specialists: groups,
            arrivals: arrivals, backlog: .fifo, allocator: "contract-net", policy: "honest"
        )
    }
}
