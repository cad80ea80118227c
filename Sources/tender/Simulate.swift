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

    @OptionGroup var options: StormRunOptions

    func validate() throws {
        if let allocator { try SimulationSupport.validateAllocators([allocator]) }
    }

    func run() throws {
        let loaded = options.applied(to: try SimulationSupport.loadScenario(scenario))
        let batch = SimulationBatch(scenario: loaded, allocators: [allocator ?? loaded.allocator], policy: options.policy, seed: options.seed, seedCount: options.seeds)
        let runs = try SimulationSupport.run(batch, options: options)
        if let html = options.html { try SimulationSupport.writeHTML(html, scenario: loaded, runs: runs) }
        let results = runs[0].results
        if options.json {
            try JSONOutput.print(try SimulationBatch.json(results))
        } else {
            print(SummaryTable.single(results))
            if let html = options.html { print("report written to \(html)") }
        }
    }
}
