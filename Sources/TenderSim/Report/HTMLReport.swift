import Foundation
import TenderCharts
import TenderConfig
import TenderCore

/// One self-contained HTML file (Chart.js inlined, data embedded) that needs no network to view:
/// time-to-resolve distribution per allocator, load per specialist over time, Jain's index over
/// time, and the allocation matrix (category × specialist).
public struct HTMLReport {
    public var scenario: Scenario
    public var runs: [(allocator: String, results: [SimulationResult])]

    /// Where Debian's libjs-chart.js puts the UMD build; `TENDER_CHARTJS` overrides it.
    public static var chartJSPath: String {
        ProcessInfo.processInfo.environment["TENDER_CHARTJS"] ?? "/usr/share/javascript/chart.js/chart.min.js"
    }

    public init(scenario: Scenario, runs: [(allocator: String, results: [SimulationResult])]) {
        self.scenario = scenario
        self.runs = runs
    }

    public func render() throws -> String {
        guard let chartJS = FileManager.default.contents(atPath: Self.chartJSPath).map({ String(decoding: $0, as: UTF8.self) }) else {
            throw SimulationError("cannot read Chart.js at \(Self.chartJSPath); install Debian's libjs-chart.js (apt-get install libjs-chart.js)")
        }
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        let data = String(decoding: try encoder.encode(payload()), as: UTF8.self)
        return HTMLTemplate.page(
            title: "Tender simulation: \(Self.escape(scenario.name))",
            summary: summaryTable(),
            specialists: specialistTable(),
            chartJS: Self.scriptSafe(chartJS),
            charts: Self.scriptSafe(ChartLibrary.script),
            data: Self.scriptSafe(data)
        )
    }

    /// The numbers the page's script draws, from each allocator's first seed.
    func payload() -> JSONValue {
        let categories = IncidentCategory.allCases.map { JSONValue.string($0.name) }
        return .object([
            ("scenario", .string(scenario.name)),
            ("categories", .array(categories)),
            ("allocators", .array(runs.compactMap { run -> JSONValue? in
                guard let result = run.results.first else { return nil }
                return .object([
                    ("name", .string(run.allocator)),
                    ("ttr", .array(result.ttrDistribution.map { .array([.number($0.seconds), .number($0.percentile)]) })),
                    ("time", .array(result.series.time.map { .number($0) })),
                    ("load", .array(result.series.load.map { .array($0.map { .number($0) }) })),
                    ("jain", .array(result.series.jain.map { .number($0) })),
                    ("open", .array(result.series.open.map { .integer($0) })),
                    ("specialists", .array(result.specialistNames.map { .string($0) })),
                    ("allocation", .array(result.allocation.map { .array($0.map { .integer($0) }) })),
                ])
            })),
        ])
    }

    func summaryTable() -> String {
        let seeds = runs.first?.results.count ?? 1
        var html = "<table class=\"summary\"><tr><th>metric</th>"
        for run in runs { html += "<th>\(Self.escape(run.allocator))</th>" }
        html += "</tr>"
        for row in SummaryTable.rows {
            html += "<tr><td>\(Self.escape(row.label))</td>"
            for run in runs { html += "<td>\(Self.escape(SummaryTable.cell(run.results.map(\.summary), row.key, row.digits)))</td>" }
            html += "</tr>"
        }
        html += "</table>"
        let note = seeds > 1 ? "Values are means ± 95% confidence half-widths over \(seeds) seeds; charts show the first seed." : "Seed \(runs.first?.results.first?.summary.seed ?? 0)."
        return html + "<p class=\"note\">\(Self.escape(note))</p>"
    }

    /// Utilisation, calibration (delivered ÷ promised time) and failure rate per specialist, one
    /// group of columns per allocator.
    func specialistTable() -> String {
        let columns = SummaryTable.specialistColumns
        var html = "<table class=\"specialists\"><tr><th>specialist</th>"
        for run in runs {
            for column in columns { html += "<th>\(Self.escape(runs.count > 1 ? "\(run.allocator): \(column)" : column))</th>" }
        }
        html += "</tr>"
        let tables = runs.map { SummaryTable.specialistRows($0.results) }
        for (index, name) in (runs.first?.results.first?.specialistNames ?? []).enumerated() {
            html += "<tr><td>\(Self.escape(name))</td>"
            for table in tables where index < table.count {
                for value in table[index].dropFirst() { html += "<td>\(Self.escape(value))</td>" }
            }
            html += "</tr>"
        }
        let note = "Calibration is delivered ÷ promised time from the engine's track record (1 keeps its word; "
            + "above 1 delivers later than it bids); failure rate is the share of its concluded awards that failed. "
            + "Both are moving averages (docs/ENGINE.md, \"Reputation\")."
        return html + "</table><p class=\"note\">\(Self.escape(note))</p>"
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// Text inside a <script> element must not close it early.
    static func scriptSafe(_ text: String) -> String {
        text.replacingOccurrences(of: "</script", with: "<\\/script", options: .caseInsensitive)
    }
}
