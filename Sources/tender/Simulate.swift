import ArgumentParser
import Foundation
import TenderConfig
import TenderCore
import TenderSim

/// `tender simulate SCENARIO`: run an incident storm offline through the contract-net engine.
struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Simulate an incident storm from a scenario file and report the metrics.",
        discussion: "The same --seed reproduces a run exactly. With --seeds K every metric is a mean with a 95% confidence interval over K seeds."
    )

    @Argument(help: "Scenario file (simulations/*.yaml).")
    var scenario: String

    @Option(help: "Allocator: \(AllocatorNames.all.joined(separator: ", ")). Default: the scenario's.")
    var allocator: String?

    @Option(help: "Bidding policy for contract-net: \(HeuristicPolicies.names.joined(separator: ", ")). Default: the scenario's.")
    var policy: String?

    @Option(help: "Random seed. Default: the scenario's.")
    var seed: UInt64?

    @Option(help: "Independent runs with seeds seed, seed+1, …; metrics get 95% confidence intervals.")
    var seeds = 1

    @Flag(help: "Print one JSON object instead of the table.")
    var json = false

    @Option(help: "Write a self-contained HTML report to this file.")
    var html: String?

    func validate() throws {
        guard (1...10_000).contains(seeds) else { throw ValidationError("--seeds must be from 1 to 10000") }
        if let allocator { try SimulationSupport.validateAllocators([allocator]) }
        if let policy, HeuristicPolicies.named(policy) == nil {
            throw ValidationError("unknown --policy `\(policy)`, expected one of: \(HeuristicPolicies.names.joined(separator: ", "))")
        }
    }

    func run() throws {
        let loaded = try SimulationSupport.loadScenario(scenario)
        let batch = SimulationBatch(scenario: loaded, allocators: [allocator ?? loaded.allocator], policy: policy, seed: seed, seedCount: seeds)
        let runs = try SimulationSupport.run(batch, quiet: json)
        if let html { try SimulationSupport.writeHTML(html, scenario: loaded, runs: runs) }
        let results = runs[0].results
        if json {
            try JSONOutput.print(try SimulationBatch.json(results))
        } else {
            print(SummaryTable.single(results))
            if let html { print("report written to \(html)") }
        }
    }
}
