import Foundation

/// The human form of simulation results: aligned text tables.
public enum SummaryTable {
    /// The metrics shown, in order: label, JSON key, digits after the point.
    static let rows: [(label: String, key: String, digits: Int)] = [
        ("incidents", "incidents", 0), ("resolved", "resolved", 0), ("escalated", "escalated", 0), ("open at end", "open", 0),
        ("mean wait (s)", "mean_wait_s", 3), ("mean TTR (s)", "mean_ttr_s", 2),
        ("TTR lower bound (s)", "ttr_lower_bound_s", 2), ("p50 TTR (s)", "p50_ttr_s", 2),
        ("p95 TTR (s)", "p95_ttr_s", 2), ("p99 TTR (s)", "p99_ttr_s", 2), ("SLA breach rate", "sla_breach_rate", 4),
        ("  critical", "sla_breach_rate_by_severity.critical", 4), ("  high", "sla_breach_rate_by_severity.high", 4),
        ("  medium", "sla_breach_rate_by_severity.medium", 4), ("  low", "sla_breach_rate_by_severity.low", 4),
        ("Jain index", "jain_index", 4), ("Gini", "gini", 4), ("mean utilization", "mean_utilization", 3),
        ("messages/incident", "messages_per_incident", 2), ("rollbacks", "rollbacks", 0), ("retries", "retries", 0),
        ("sim incidents/s", "sim_incidents_per_s", 0),
    ]

    /// One allocator, one or more seeds: metric and value, plus utilisation per specialist.
    public static func single(_ results: [SimulationResult]) -> String {
        guard let first = results.first else { return "" }
        let summaries = results.map(\.summary)
        var lines = ["\(first.summary.scenario): allocator \(first.summary.allocator)"
            + (first.summary.policy.map { ", policy \($0)" } ?? "")
            + (results.count > 1 ? ", \(results.count) seeds (mean ± 95% CI)" : ", seed \(first.summary.seed)")]
        let table = rows.map { row in [row.label, cell(summaries, row.key, row.digits)] }
        lines += align(table)
        lines.append("per specialist:")
        lines += align([["  specialist"] + specialistColumns] + specialistRows(results).map { ["  " + $0[0]] + $0.dropFirst() })
        return lines.joined(separator: "\n")
    }

    /// Several allocators: one row each.
    public static func comparison(_ runs: [(allocator: String, results: [SimulationResult])], scenario: String) -> String {
        let columns: [(String, String, Int)] = [
            ("wait", "mean_wait_s", 3), ("TTR", "mean_ttr_s", 1), ("TTR bound", "ttr_lower_bound_s", 1), ("p95 TTR", "p95_ttr_s", 1),
            ("p99 TTR", "p99_ttr_s", 1), ("SLA miss", "sla_breach_rate", 4),
            ("crit miss", "sla_breach_rate_by_severity.critical", 4), ("Jain", "jain_index", 3),
            ("Gini", "gini", 3), ("msgs", "messages_per_incident", 1), ("rollbacks", "rollbacks", 0),
            ("escalated", "escalated", 0),
        ]
        let seeds = runs.first?.results.count ?? 0
        var table = [["allocator"] + columns.map(\.0)]
        for run in runs {
            let summaries = run.results.map(\.summary)
            table.append([run.allocator] + columns.map { cell(summaries, $0.1, $0.2) })
        }
        let header = "\(scenario): \(runs.count) allocators on identical storms, " + (seeds > 1 ? "\(seeds) seeds (mean ± 95% CI)" : "seed \(runs.first?.results.first?.summary.seed ?? 0)")
        let legend = "wait and TTR are means in seconds (arrival to award, arrival to resolution); TTR bound is the mean TTR if every incident were served at once by its fastest specialist without failure; SLA miss is the breach rate (crit miss: of criticals); msgs per incident"
        return ([header] + align(table) + [legend]).joined(separator: "\n")
    }

    /// The per-specialist columns, after the name: utilisation, then the track record's figures.
    static let specialistColumns = ["utilization", "calibration", "failure rate"]

    /// One row per specialist: name, utilisation, calibration (delivered ÷ promised time) and
    /// failure rate, each a mean ± 95% CI over seeds when there are several; "-" where a
    /// specialist concluded no award in any seed.
    static func specialistRows(_ results: [SimulationResult]) -> [[String]] {
        let summaries = results.map(\.summary)
        let multi = results.count > 1
        func figure(_ values: [Double], _ digits: Int) -> String {
            values.isEmpty ? "-" : format(SeedAggregate.interval(values), digits: digits, multi: multi)
        }
        return (results.first?.specialistNames ?? []).map { name in
            [
                name,
                figure(summaries.map { $0.utilization[name] ?? 0 }, 3),
                figure(summaries.compactMap { $0.calibration[name] ?? nil }, 2),
                figure(summaries.compactMap { $0.failureRate[name] ?? nil }, 3),
            ]
        }
    }

    static func cell(_ summaries: [SimulationSummary], _ key: String, _ digits: Int) -> String {
        // A dotted key reaches into a nested object (`sla_breach_rate_by_severity.critical`).
        let path = key.split(separator: ".").map(String.init)
        let values = summaries.compactMap { summary in
            path.reduce(try? JSONValue.from(summary)) { node, component in node?[component] }?.double
        }
        return format(SeedAggregate.interval(values), digits: digits, multi: summaries.count > 1)
    }

    static func format(_ interval: ConfidenceInterval, digits: Int, multi: Bool) -> String {
        let mean = String(format: "%.\(digits)f", interval.mean)
        return multi ? "\(mean) ± \(String(format: "%.\(digits)f", interval.halfWidth))" : mean
    }

    /// Left-align the first column, right-align the rest.
    static func align(_ table: [[String]]) -> [String] {
        let widths = (0..<(table.map(\.count).max() ?? 0)).map { column in table.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
        return table.map { row in
            row.enumerated().map { column, text in
                let pad = String(repeating: " ", count: widths[column] - text.count)
                return column == 0 ? text + pad : pad + text
            }.joined(separator: "  ")
        }
    }
}
