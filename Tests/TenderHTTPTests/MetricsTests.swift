import Foundation
import Testing
@testable import TenderHTTP

@Suite struct MetricsTests {
    @Test func rendersCountersGaugesAndCumulativeHistogramBuckets() {
        let registry = MetricsRegistry()
        let counter = registry.counter("tender_things_total", help: "Things.\nWith a newline \\ and a backslash.", labels: [("kind", "a\"b")])
        counter.increment(by: 3)
        registry.gauge("tender_level", help: "A level.") { 2.5 }
        let histogram = registry.histogram("tender_wait_seconds", help: "Waits.", buckets: [0.1, 1])
        histogram.observe(0.05)
        histogram.observe(0.5)
        histogram.observe(7)
        #expect(registry.render() == """
        # HELP tender_things_total Things.\\nWith a newline \\\\ and a backslash.
        # TYPE tender_things_total counter
        tender_things_total{kind="a\\"b"} 3
        # HELP tender_level A level.
        # TYPE tender_level gauge
        tender_level 2.5
        # HELP tender_wait_seconds Waits.
        # TYPE tender_wait_seconds histogram
        tender_wait_seconds_bucket{le="0.1"} 1
        tender_wait_seconds_bucket{le="1"} 2
        tender_wait_seconds_bucket{le="+Inf"} 3
        tender_wait_seconds_sum 7.55
        tender_wait_seconds_count 3

        """)
    }

    @Test func seriesOfOneNameShareOneHeader() {
        let registry = MetricsRegistry()
        registry.counter("tender_x_total", help: "X.", labels: [("code", "200")]).increment()
        registry.counter("tender_x_total", help: "X.", labels: [("code", "404")]).increment()
        #expect(registry.render().components(separatedBy: "# TYPE tender_x_total").count == 2)
    }

    @Test func nameRulesAreChecked() {
        #expect(MetricsRegistry.isValidName("tender_a:b_1"))
        #expect(!MetricsRegistry.isValidName("1tender"))
        #expect(!MetricsRegistry.isValidName("tender-x"))
    }

    /// The whole /metrics page of a running service, checked by Prometheus's own linter.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/promtool"), "skipped: /usr/bin/promtool is missing; install Debian's prometheus package (make deps does)"))
    func promtoolAcceptsTheExposition() throws {
        let promtool = "/usr/bin/promtool"
        let fixture = RouterFixture()
        _ = CoordinatorMetrics(registry: fixture.metrics, specialistsConnected: { 4 }, incidentsOpen: { 12 }, backlog: { 0 })
        _ = fixture.call("GET", "/v1/fairness")
        _ = fixture.call("GET", "/nope")
        let text = fixture.call("GET", "/metrics")?.text ?? ""
        #expect(text.contains("tender_cfp_to_award_seconds_bucket"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: promtool)
        process.arguments = ["check", "metrics"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let report = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "promtool: \(report)")
        #expect(report.isEmpty, "promtool lint: \(report)")
    }
}
