import ArgumentParser
import Foundation
import TenderCore
import TenderStore

/// `tender history`: the incidents in the store, newest first.
struct History: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List incidents from the store, newest first, with each execution's outcome."
    )

    @OptionGroup var store: StoreOptions

    @Option(help: "Only incidents in this state: open, resolved, escalated or cancelled.")
    var state: String?

    @Option(help: "At most this many incidents.")
    var limit = 1000

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        if let state, !["open", "resolved", "escalated", "cancelled"].contains(state) {
            throw ValidationError("--state is `\(state)`, expected one of open, resolved, escalated, cancelled")
        }
        guard limit > 0 else { throw ValidationError("--limit must be positive") }
    }

    struct Line: Encodable {
        var id: UInt64
        var incident: String
        var state: String
        var category: String?
        var severity: String?
        var service: String?
        var resolvedBy: String?
        /// When intake accepted it and when it concluded: wall-clock Unix seconds.
        var receivedAt: Double?
        var concludedAt: Double?
        var executions: [Execution]

        struct Execution: Encodable {
            var id: Int64
            var specialist: String
            /// `applied`, `rolled_back`, `refused`, or `in_flight`.
            var outcome: String
        }
    }

    func run() throws {
        let lines = try store.reader().history(state: state, limit: limit).map(Self.line)
        if json {
            try SnakeJSON.print(["incidents": lines])
            return
        }
        if lines.isEmpty {
            print("no incidents\(state.map { " in state \($0)" } ?? "") in \(store.db)")
            return
        }
        for line in lines {
            let what = [line.severity, line.category, line.service].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
            let executions = line.executions.map { "#\($0.id) \($0.specialist) \($0.outcome)" }.joined(separator: ", ")
            print("\(line.incident)\t\(isoTime(line.receivedAt))\t\(line.state)\t\(what)\t\(line.resolvedBy ?? "-")\t\(executions.isEmpty ? "-" : executions)")
        }
    }

    static func line(_ summary: IncidentSummary) -> Line {
        // The body is the Incident as intake accepted it; an unreadable one still lists by id.
        let incident = try? JSONDecoder().decode(Incident.self, from: Data(summary.body.utf8))
        return Line(id: summary.id, incident: "INC-\(summary.id)", state: summary.state, category: incident?.category.name,
                    severity: incident?.severity.name, service: incident?.service, resolvedBy: summary.resolvedBy,
                    receivedAt: summary.receivedAt, concludedAt: summary.concludedAt,
                    executions: summary.executions.map { .init(id: $0.id, specialist: $0.specialist, outcome: $0.outcome ?? "in_flight") })
    }
}
