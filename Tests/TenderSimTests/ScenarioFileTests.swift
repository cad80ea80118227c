import Foundation
import Testing
import TenderConfig
import TenderCore
@testable import TenderSim

/// The shipped scenarios load and run; bad scenarios get `file:line` errors.
struct ScenarioFileTests {
    @Test func theRequiredScenariosExist() {
        let names = Set(Repository.scenarioFiles.map { ($0 as NSString).lastPathComponent })
        for required in ["steady-state", "ddos-storm", "database-cascade", "black-friday", "mmc-validation"] {
            #expect(names.contains("\(required).yaml"))
        }
    }

    @Test(arguments: Repository.scenarioFiles)
    func everyShippedScenarioLoadsAndRunsBriefly(path: String) throws {
        var scenario = try ScenarioLoader.load(path: path)
        scenario.stop = .incidents(300)
        scenario.warmup = 0
        let result = try Simulation(scenario: scenario).run()
        #expect(result.summary.incidents == 300)
        #expect(result.summary.resolved + result.summary.escalated + result.summary.open == 300)
    }

    /// Load-shedding specialists refuse "at capacity" with slots free. Before the engine stopped
    /// calling them again at once, this storm (seed 7) spun through hundreds of millions of
    /// messages; now each incident costs a few dozen.
    @Test func loadSheddingInAStormDoesNotSpin() throws {
        var scenario = try ScenarioLoader.load(path: Repository.path("simulations/ddos-storm.yaml"))
        scenario.policy = "load-shedding"
        scenario.seed = 7
        let summary = try Simulation(scenario: scenario).run().summary
        #expect(summary.incidents > 3000)
        #expect(summary.messagesPerIncident < 100, "\(summary.messagesPerIncident) messages per incident")
        #expect(summary.events < 100 * summary.incidents)
    }

    static func errors(_ yaml: String) -> [String] {
        do {
            _ = try ScenarioLoader.parse(ConfigNode.parse(yaml, file: "bad.yaml"))
            return []
        } catch let many as ConfigErrors {
            return many.errors.map(\.description)
        } catch {
            return ["\(error)"]
        }
    }

    @Test func problemsAreReportedWithFileAndLine() {
        let errors = Self.errors("""
        name: bad
        duration: 100
        allocator: auction-house
        specialists:
          - {name: a, capacity: 1, skills: {security: 2}, service: {security: {distribution: exponential, mean: 1}}}
        arrivals:
          - {category: securty, severity: high, rate: 1}
          - {category: network, severity: high, process: bursty, rate: 1}
        """)
        #expect(errors.contains { $0.hasPrefix("bad.yaml:3:") && $0.contains("allocator") })
        #expect(errors.contains { $0.hasPrefix("bad.yaml:5:") && $0.contains("from 0 to 1") })
        #expect(errors.contains { $0.hasPrefix("bad.yaml:7:") && $0.contains("securty") })
        #expect(errors.contains { $0.hasPrefix("bad.yaml:8:") && $0.contains("burst_rate") })
    }

    @Test func durationAndIncidentsAreExclusive() {
        let errors = Self.errors("""
        name: both
        duration: 100
        incidents: 5
        specialists: [{name: a, capacity: 1, skills: {security: 1}, service: {security: {distribution: deterministic, mean: 1}}}]
        arrivals: [{category: security, severity: low, rate: 1}]
        """)
        #expect(errors.contains { $0.contains("both `duration` and `incidents`") })
    }

    @Test func validateRecognisesScenariosByTheirArrivals() {
        let results = ConfigValidator(kinds: [.profile, .scenario]).validate(paths: [Repository.path("simulations")])
        #expect(!results.isEmpty)
        for result in results { #expect(result.ok && result.kind == "scenario", "\(result.file): \(result.errors)") }
    }
}
