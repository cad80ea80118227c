import Foundation
import Testing
import TenderConfig
import TenderCharts
import TenderCore
@testable import TenderSim

/// The simulator's per-specialist calibration and failure rate come from the engine's track
/// record and show who keeps their word: optimists (bidding 0.3× their true time) deliver far
/// later than they promise, honest specialists about on time, the unreliable one fails often.
struct TrackRecordReportTests {
    static func run(reputation: Bool) throws -> SimulationResult {
        var scenario = try ScenarioLoader.load(path: Repository.path("simulations/dishonest-bidders.yaml"))
        scenario.stop = .duration(60_000)
        scenario.warmup = 3600
        var options = SimulationOptions(seed: 21)
        options.reputation = reputation
        return try Simulation(scenario: scenario, options: options).run()
    }

    @Test(arguments: [true, false])
    func optimistsShowCalibrationWellAboveOneAndHonestNearOne(reputation: Bool) throws {
        let summary = try Self.run(reputation: reputation).summary
        let optimists = summary.calibration.filter { $0.key.contains("optimist") }
        #expect(optimists.count == 3)
        for (name, value) in optimists {
            let value = try #require(value, "\(name) has no calibration")
            // Not 1/0.3: an optimist's slowest tasks overrun the commitment it derived from its bid and
            // count as failures, so its successes are its faster draws.
            #expect(value > 1.5, "\(name): calibration \(value)")
        }
        let honest = summary.calibration.filter { !$0.key.contains("optimist") && !$0.key.contains("unreliable") }
        #expect(honest.count >= 6)
        for (name, value) in honest {
            guard let value else { continue }  // a specialist never awarded anything has no record
            #expect(value > 0.6 && value < 1.5, "\(name): calibration \(value)")
        }
        let unreliable = try #require(summary.failureRate["security-unreliable"] ?? nil)
        let honestFailures = honest.keys.compactMap { summary.failureRate[$0] ?? nil }
        // Moving averages over few awards are noisy (with reputation on, the unreliable one is
        // starved of work), so compare with the honest pool's mean rather than each honest one.
        if !reputation { #expect(unreliable > 0.4) }
        let honestMean = honestFailures.reduce(0, +) / Double(max(honestFailures.count, 1))
        #expect(unreliable > honestMean, "unreliable \(unreliable), honest mean \(honestMean)")
    }

    @Test func jsonCarriesSnakeCaseKeysAndNullForNoRecord() throws {
        var summary = try Self.run(reputation: true).summary
        summary.calibration["idle"] = .some(nil)
        let json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(summary)) as? [String: Any])
        let calibration = try #require(json["calibration"] as? [String: Any])
        let failures = try #require(json["failure_rate"] as? [String: Any])
        #expect(calibration["idle"] is NSNull)
        #expect(calibration["security-optimist"] is Double)
        #expect(failures["security-unreliable"] is Double)
    }

    @Test func humanTableAndHTMLReportShowTheColumns() throws {
        let result = try Self.run(reputation: true)
        let text = SummaryTable.single([result])
        #expect(text.contains("calibration"))
        #expect(text.contains("failure rate"))
        let row = try #require(text.split(separator: "\n").first { $0.contains("security-optimist") })
        let calibration = try #require(result.summary.calibration["security-optimist"] ?? nil)
        #expect(row.contains(String(format: "%.2f", calibration)))

        let report = HTMLReport(scenario: try ScenarioLoader.load(path: Repository.path("simulations/dishonest-bidders.yaml")),
                                runs: [(allocator: "contract-net", results: [result])])
        let table = report.specialistTable()
        #expect(table.contains("<th>calibration</th>"))
        #expect(table.contains("<td>security-optimist</td>"))
        #expect(table.contains(String(format: "%.2f", calibration)))
    }

    /// The report draws through the shared chart library, inlined after Chart.js, not its own.
    @Test func reportEmbedsTheSharedChartLibrary() throws {
        #expect(!HTMLTemplate.script.contains("new Chart("))
        #expect(HTMLTemplate.script.contains("T.heatmap(") && HTMLTemplate.script.contains("T.matrix("))
        let page = HTMLTemplate.page(title: "t", summary: "", specialists: "", chartJS: "/*chartjs*/", charts: ChartLibrary.script, data: "{}")
        let chartJS = try #require(page.range(of: "/*chartjs*/"))
        let library = try #require(page.range(of: "window.TenderCharts ="))
        let drawing = try #require(page.range(of: "const T = window.TenderCharts"))
        #expect(chartJS.upperBound < library.lowerBound && library.upperBound < drawing.lowerBound)
    }
}
