import TenderConfig
import TenderCore

/// Textbook queues expressed as scenarios, for validation tests and the benchmark: identical
/// specialists of capacity 1 and skill 1 that never fail, Poisson arrivals of one category and
/// severity, a FIFO backlog and instant messages.
public enum QueueingScenario {
    /// M/M/c (or M/G/c with another `service`) at utilisation `rho` with mean service `meanService`.
    public static func make(
        servers: Int, utilisation rho: Double, incidents: Int, warmup: Double = 0,
        service: ServiceDistribution = .exponential(mean: 1), allocator: String = "least-loaded", seed: UInt64 = 1
    ) -> Scenario {
        let skills = PerCategory { $0 == .performance ? 1.0 : 0.0 }
        let model = ServiceTimeModel(base: PerCategory(repeating: service))
        let group = SpecialistGroup(
            name: "server", count: servers, kind: .performance, capacity: 1, skills: skills, service: model,
            failure: FailureModel(base: 0, slope: 0)
        )
        let rate = rho * Double(servers) / service.mean
        return Scenario(
            name: "m-\(servers)-\(rho)", seed: seed, stop: .incidents(incidents), warmup: warmup,
            specialists: [group], arrivals: [ArrivalStream(category: .performance, severity: .medium, rate: rate)],
            backlog: .fifo, allocator: allocator, policy: "honest"
        )
    }
}
