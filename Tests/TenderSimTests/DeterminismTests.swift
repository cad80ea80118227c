import Foundation
import Testing
import TenderConfig
import TenderCore
@testable import TenderSim

/// The same seed replays a run exactly; allocators compared on a seed see the same storm.
struct DeterminismTests {
    static func scenario() throws -> Scenario {
        var scenario = try ScenarioLoader.load(path: Repository.path("simulations/black-friday.yaml"))
        scenario.stop = .duration(60_000)
        scenario.warmup = 1000
        return scenario
    }

    /// Everything but the wall-clock figures, as text.
    static func fingerprint(_ summary: SimulationSummary) -> String {
        var copy = summary
        copy.wallSeconds = 0
        copy.simIncidentsPerSecond = 0
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: (try? encoder.encode(copy)) ?? Data(), as: UTF8.self)
    }

    @Test(arguments: ["contract-net", "random", "power-of-two"])
    func sameSeedReplaysTheRunExactly(allocator: String) throws {
        let options = SimulationOptions(allocator: allocator, seed: 99)
        let first = try Simulation(scenario: Self.scenario(), options: options).run()
        let second = try Simulation(scenario: Self.scenario(), options: options).run()
        #expect(Self.fingerprint(first.summary) == Self.fingerprint(second.summary))
        #expect(first.series.jain == second.series.jain)
    }

    @Test func differentSeedsGiveDifferentStorms() throws {
        let first = try Simulation(scenario: Self.scenario(), options: SimulationOptions(seed: 1)).run()
        let second = try Simulation(scenario: Self.scenario(), options: SimulationOptions(seed: 2)).run()
        #expect(Self.fingerprint(first.summary) != Self.fingerprint(second.summary))
    }

    @Test func everyAllocatorSeesTheSameArrivals() throws {
        // Cascades are drawn at arrival from their own stream, so even follow-ups match.
        let counts = try AllocatorNames.all.map { name in
            try Simulation(scenario: Self.scenario(), options: SimulationOptions(allocator: name, seed: 5)).run().summary.incidents
        }
        #expect(Set(counts).count == 1, "incident counts per allocator: \(counts)")
    }
}
