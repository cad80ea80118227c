import ArgumentParser
import Foundation
import TenderConfig
import TenderCore
import TenderSim

/// What `simulate` and `compare` share: loading the scenario with readable errors, running the
/// batch behind a progress bar, and writing the HTML report.
enum SimulationSupport {
    static func loadScenario(_ path: String) throws -> Scenario {
        do {
            return try ScenarioLoader.load(path: path)
        } catch let error as ConfigErrors {
            for problem in error.errors { printError(problem.description) }
            throw ExitCode(1)
        } catch let error as ConfigError {
            printError(error.description)
            throw ExitCode(1)
        }
    }

    static func run(_ batch: SimulationBatch, options: StormRunOptions) throws -> [(allocator: String, results: [SimulationResult])] {
        // Refuse before allocating anything: a run that cannot finish should say so at once
        // rather than grow for minutes (rate 1,000,000 grew to 7 GB).
        let expected = batch.expectedArrivals
        guard expected <= Double(options.maxIncidents) else {
            printError("error: \(batch.scenario.name) would admit about \(Int(min(expected, 9e18))) incidents per run, more than --max-incidents \(options.maxIncidents); shorten the run, lower the rate, or raise --max-incidents")
            throw ExitCode(1)
        }
        var batch = batch
        batch.maxOpenIncidents = options.maxOpen
        let quiet = options.json
        let bar = ProgressBar("simulating \(batch.scenario.name)", total: Double(batch.runCount), enabled: Terminal.isInteractive && !quiet)
        do {
            let results = try batch.run { done, total in bar.update(done, detail: "run \(min(Int(done) + 1, total))/\(total)") }
            bar.finish()
            return results
        } catch let error as SimulationError {
            bar.finish()
            printError("error: \(error)")
            throw ExitCode(1)
        }
    }

    static func writeHTML(_ path: String, scenario: Scenario, runs: [(allocator: String, results: [SimulationResult])]) throws {
        let html = try HTMLReport(scenario: scenario, runs: runs).render()
        do {
            try html.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            printError("error: cannot write \(path): \(error.localizedDescription)")
            throw ExitCode(1)
        }
    }

    static func validateAllocators(_ names: [String]) throws {
        for name in names where !AllocatorNames.all.contains(name) {
            throw ValidationError("unknown allocator `\(name)`, expected one of: \(AllocatorNames.all.joined(separator: ", "))")
        }
    }
}
