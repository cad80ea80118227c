import ArgumentParser
import Foundation
import TenderConfig
import TenderCore
import TenderSim

/// `tender compare SCENARIO --allocators a,b,c`: the allocators on identical storms, one table.
struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run several allocators on identical storms (common random numbers) and compare them.",
        discussion: "Every allocator sees the same seeds, and a seed fixes the storm and each incident's difficulty."
    )

    @Argument(help: "Scenario file (simulations/*.yaml).")
    var scenario: String

    @Option(help: "Comma-separated allocators: \(AllocatorNames.all.joined(separator: ", ")).")
    var allocators = AllocatorNames.all.joined(separator: ",")

    @Option(help: "Bidding policy for contract-net. Default: the scenario's.")
    var policy: String?

    @Option(help: "Random seed. Default: the scenario's.")
    var seed: UInt64?

    @Option(help: "Independent runs per allocator; metrics get 95% confidence intervals.")
    var seeds = 1

    @Flag(help: "Print one JSON object instead of the table.")
    var json = false

    @Option(help: "Write a self-contained HTML report to this file.")
    var html: String?

    var allocatorList: [String] {
        allocators.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func validate() throws {
        guard !allocatorList.isEmpty else { throw ValidationError("--allocators is empty") }
        guard (1...10_000).contains(seeds) else { throw ValidationError("--seeds must be from 1 to 10000") }
        try SimulationSupport.validateAllocators(allocatorList)
        if let policy, HeuristicPolicies.named(policy) == nil {
            throw ValidationError("unknown --policy `\(policy)`, expected one of: \(HeuristicPolicies.names.joined(separator: ", "))")
        }
    }

    func run() throws {
        let loaded = try SimulationSupport.loadScenario(scenario)
        let batch = SimulationBatch(scenario: loaded, allocators: allocatorList, policy: policy, seed: seed, seedCount: seeds)
        let runs = try SimulationSupport.run(batch, quiet: json)
        if let html { try SimulationSupport.writeHTML(html, scenario: loaded, runs: runs) }
        if json {
            let allocatorsJSON = try runs.map { ($0.allocator, try SimulationBatch.json($0.results)) }
            try JSONOutput.print(JSONValue.object([
                ("scenario", .string(loaded.name)),
                ("seeds", .array(batch.seeds.map { .integer(Int(truncatingIfNeeded: $0)) })),
                ("allocators", .object(allocatorsJSON)),
            ]))
        } else {
            print(SummaryTable.comparison(runs, scenario: loaded.name))
            if let html { print("report written to \(html)") }
        }
    }
}
