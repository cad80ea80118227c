import ArgumentParser
import Foundation
import TenderConfig
import TenderSim

/// `tender bench simulate`: the simulator's own speed, single thread.
struct BenchSimulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Time the simulator: M/M/10 at ρ=0.8 (direct mode) and contract-net auctions among 16 specialists."
    )

    @Option(help: "Incidents in the M/M/10 run.")
    var incidents = 5_000_000

    @Option(help: "Incidents in the contract-net run.")
    var contractNetIncidents = 1_000_000

    @Option(help: "Repetitions of each run; the best is reported, all are listed.")
    var repeats = 3

    @Option(help: "Random seed.")
    var seed: UInt64 = 1

    func validate() throws {
        guard incidents > 0, contractNetIncidents > 0 else { throw ValidationError("incident counts must be positive") }
        guard (1...100).contains(repeats) else { throw ValidationError("--repeat must be from 1 to 100") }
    }


    func run() throws {
        #if DEBUG
        let build = "debug"
        printError("warning: this is a debug build; benchmark figures need `swift build -c release`")
        #else
        let build = "release"
        #endif
        let bar = ProgressBar("benchmarking", total: Double(2 * repeats))
        var done = 0.0
        func time(_ scenario: Scenario) throws -> JSONValue {
            var rates: [Double] = []
            var best: SimulationSummary?
            var allocations: UInt64?
            for _ in 0..<repeats {
                let before = AllocationProbe.calls
                let summary = try Simulation(scenario: scenario).run { bar.update(done + $0) }.summary
                // Every allocation from building the simulation to its summary, set-up included.
                if let before, let after = AllocationProbe.calls { allocations = after - before }
                done += 1
                rates.append(summary.simIncidentsPerSecond)
                if best == nil || summary.simIncidentsPerSecond > best!.simIncidentsPerSecond { best = summary }
            }
            guard let best else { return .null }
            return .object([
                ("incidents", .integer(best.incidents)),
                ("incidents_per_s", .number(best.simIncidentsPerSecond.rounded())),
                ("all_runs_incidents_per_s", .array(rates.map { .number($0.rounded()) })),
                ("events_per_s", .number((Double(best.events) / best.wallSeconds).rounded())),
                ("wall_s", .number(best.wallSeconds)),
                ("mean_wait_s", .number(best.meanWaitSeconds)),
                ("messages_per_incident", .number(best.messagesPerIncident)),
                ("mean_utilization", .number(best.meanUtilization)),
                ("allocations_per_incident", allocations.map { .number(Double($0) / Double(max(best.incidents, 1))) } ?? .null),
            ])
        }
        let mm10 = try time(BenchmarkScenarios.mm10(incidents: incidents, seed: seed))
        let contractNet = try time(BenchmarkScenarios.contractNet16(incidents: contractNetIncidents, seed: seed))
        bar.finish()
        let theory = QueueingTheory.mmcMeanWait(arrivalRate: 8, serviceRate: 1, servers: 10)
        try JSONOutput.print(JSONValue.object([
            ("build", .string(build)),
            ("threads", .integer(1)),
            ("mm10_rho_0_8_direct_least_loaded", mm10),
            ("mm10_erlang_c_wait_s", .number(theory)),
            ("contract_net_16_specialists_honest", contractNet),
            ("allocation_counter", .string(AllocationProbe.isAvailable
                ? "preloaded: allocations_per_incident counts every malloc from set-up to summary"
                : "none: preload a counting malloc exporting tender_malloc_calls to measure allocations")),
        ]))
    }
}
