import TenderConfig
import TenderCore

/// Measurements of what reputation changes (issue 12's goals), over seeds, with reputation on
/// and off on identical storms (common random numbers: a seed fixes the storm and each
/// incident's difficulty). `tender bench reputation` prints them; the tests check one seed.
public enum ReputationStudy {
    /// One scenario run once per seed with reputation forced on or off; `honest` first clears
    /// every group's own policy, so the same pool bids with the scenario's (honest) policy.
    public static func run(_ scenario: Scenario, reputation: Bool, seeds: [UInt64], honest: Bool = false) throws -> [SimulationResult] {
        var scenario = scenario
        if honest {
            for index in scenario.specialists.indices { scenario.specialists[index].policy = nil }
        }
        return try seeds.map { seed in
            var options = SimulationOptions(seed: seed)
            options.reputation = reputation
            let result = try Simulation(scenario: scenario, options: options).run()
            if let reason = result.stoppedEarly { throw SimulationError("\(scenario.name), seed \(seed): \(reason)") }
            return result
        }
    }

    /// Awards counted after warm-up to the specialist named `name` (all categories); nil if the
    /// pool has no such specialist.
    public static func awards(_ result: SimulationResult, to name: String) -> Int? {
        guard let index = result.specialistNames.firstIndex(of: name) else { return nil }
        return result.allocation[index].reduce(0, +)
    }

    /// Awards to `unreliable` per award to `reliable`: the goal is at most 0.5 once records exist.
    /// Nil if either is missing or the reliable one got none.
    public static func awardRatio(_ result: SimulationResult, unreliable: String, reliable: String) -> Double? {
        guard let bad = awards(result, to: unreliable), let good = awards(result, to: reliable), good > 0 else { return nil }
        return Double(bad) / Double(good)
    }

    /// Mean and 95% CI of per-seed differences `a[i] − b[i]` (paired by seed).
    public static func pairedDifference(_ a: [Double], _ b: [Double]) -> ConfidenceInterval {
        SeedAggregate.interval(zip(a, b).map { $0 - $1 })
    }
}
