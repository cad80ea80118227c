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

    @OptionGroup var options: StormRunOptions

    var allocatorList: [String] {
        allocators.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func validate() throws {
        guard !allocatorList.isEmpty else { throw ValidationError("--allocators is empty") }
        try SimulationSupport.validateAllocators(allocatorList)
    }

    func run() throws {
        let loaded = try SimulationSupport.loadScenario(scenario)
        let batch = SimulationBatch(scenario: loaded, allocators: allocatorList, policy: options.policy, seed: options.seed, seedCount: options.seeds)
        let runs = try SimulationSupport.run(batch, quiet: options.json)
        if let html = options.html { try SimulationSupport.writeHTML(html, scenario: loaded, runs: runs) }
        if options.json {
            let allocatorsJSON = try runs.map { ($0.allocator, try SimulationBatch.json($0.results)) }
            try JSONOutput.print(JSONValue.object([
                ("scenario", .string(loaded.name)),
                ("seeds", .array(batch.seeds.map { .integer(Int(truncatingIfNeeded: $0)) })),
                ("allocators", .object(allocatorsJSON)),
            ]))
        } else {
            print(SummaryTable.comparison(runs, scenario: loaded.name))
            if let html = options.html { print("report written to \(html)") }
        }
    }
}
