import ArgumentParser
import TenderConfig
import TenderCore
import TenderSim

/// The options `simulate` and `compare` share: which policy, which seeds, and how to report.
struct StormRunOptions: ParsableArguments {
    @Option(help: "Bidding policy for contract-net: \(HeuristicPolicies.names.joined(separator: ", ")), or a policy file (policies/*.yaml). Default: the scenario's.")
    var policy: String?

    @Option(help: "Random seed. Default: the scenario's.")
    var seed: UInt64?

    @Option(help: "Independent runs with seeds seed, seed+1, …; metrics get 95% confidence intervals.")
    var seeds = 1

    @Flag(help: "Print one JSON object instead of the table.")
    var json = false

    @Option(help: "Weigh bidders' track records in awards: on or off. Default: the scenario's (on).")
    var reputation: String?

    @Option(help: "Write a self-contained HTML report to this file.")
    var html: String?

    @Option(name: .customLong("max-incidents"), help: "Refuse a run expected to admit more incidents than this (rate × duration, or the stop count).")
    var maxIncidents = 20_000_000

    @Option(name: .customLong("max-open"), help: "Stop a run with an error once this many incidents are open at once (about 200 bytes each).")
    var maxOpen = SimulationOptions.defaultMaxOpenIncidents

    func validate() throws {
        guard (1...10_000).contains(seeds) else { throw ValidationError("--seeds must be from 1 to 10000") }
        if let reputation, !["on", "off"].contains(reputation) { throw ValidationError("--reputation must be on or off, not `\(reputation)`") }
        guard maxIncidents > 0, maxOpen > 0 else { throw ValidationError("--max-incidents and --max-open must be positive") }
        if let policy { try Self.checkPolicy(policy, option: "--policy") }
    }

    /// The scenario with the command line's overrides applied.
    func applied(to scenario: Scenario) -> Scenario {
        var scenario = scenario
        if let reputation { scenario.reputation = reputation == "on" }
        return scenario
    }

    /// A policy named on the command line must load: a built-in, a file, or a name in policies/.
    static func checkPolicy(_ policy: String, option: String) throws {
        do {
            _ = try PolicyLoader.resolve(policy)
        } catch {
            throw ValidationError("\(option) `\(policy)`: " + ConfigValidator.messages(error).joined(separator: "\n"))
        }
    }
}
