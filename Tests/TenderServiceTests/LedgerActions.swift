import Foundation
import TenderStore

/// The command driver's test rig: `examples/actions.yaml` pointed at a ledger file of the test's
/// own, run by `examples/ledger-action.py` (which appends and fsyncs one JSON line per call).
enum LedgerActions {
    /// One call of the ledger program.
    struct Entry: Decodable, Equatable {
        var incident: String
        var execution: String
        var step: Int
        var phase: String
        var action: String
        var args: [String]
    }

    /// Write an actions file running the ledger program into `ledger`; `options` go before `--`
    /// (`--fail ACTION`, `--sleep S`). Returns its path.
    static func write(ledger: String, in directory: String, options: [String] = []) throws -> String {
        let root = FileManager.default.currentDirectoryPath
        var text = try String(contentsOfFile: "\(root)/examples/actions.yaml", encoding: .utf8)
        let extra = options.map { "\"\($0)\", " }.joined()
        text = text.replacingOccurrences(of: "[examples/ledger-action.py, /tmp/tender-ledger.jsonl, --,",
                                         with: "[\(root)/examples/ledger-action.py, \(ledger), \(extra)--,")
        let path = "\(directory)/actions.yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func read(_ ledger: String) -> [Entry] {
        guard let text = try? String(contentsOfFile: ledger, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { try? JSONDecoder().decode(Entry.self, from: Data($0.utf8)) }
    }

    static func lineCount(_ ledger: String) -> Int {
        guard let data = FileManager.default.contents(atPath: ledger) else { return 0 }
        return data.reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
    }

    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "tender-exec-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

/// What the store says about executions and conclusions, read with TenderStore's reader.
struct ExecutionAudit {
    struct Execution {
        var id: Int64
        var incident: UInt64
        var outcome: String?
        /// Per step: (idempotent, undo idempotent, has an undo).
        var steps: [(idempotent: Bool, undoIdempotent: Bool, hasUndo: Bool)]
    }

    var executions: [Int64: Execution] = [:]
    var statuses: [UInt64: String] = [:]
    /// How many times each incident's conclusion was recorded.
    var conclusions: [UInt64: Int] = [:]
    /// Executions a restarted coordinator found in flight and finished.
    var recoveredExecutions = 0

    init(database path: String) throws {
        let database = try Database(path: path, create: false, readOnly: true)
        for row in try database.rows("SELECT id, incident, outcome, plan FROM executions") {
            let id = row.integer(0) ?? 0
            var steps: [(Bool, Bool, Bool)] = []
            if let plan = try? JSONSerialization.jsonObject(with: Data((row.text(3) ?? "{}").utf8)) as? [String: Any],
               let list = plan["steps"] as? [[String: Any]] {
                steps = list.map { ($0["idempotent"] as? Bool ?? false, $0["undoIdempotent"] as? Bool ?? true, ($0["undo"] as? String ?? "noop") != "noop") }
            }
            executions[id] = Execution(id: id, incident: UInt64(row.integer(1) ?? 0), outcome: row.text(2), steps: steps)
        }
        for row in try database.rows("SELECT id, status FROM incidents") {
            statuses[UInt64(row.integer(0) ?? 0)] = row.text(1)
        }
        for row in try database.rows("SELECT incident, what FROM audit WHERE incident IS NOT NULL") {
            let what = row.text(1) ?? ""
            if what.hasPrefix("execution "), what.contains(" recovered: ") { recoveredExecutions += 1 }
            let words = what.split(separator: " ")
            if words.count == 3, words[0] == "incident", ["resolved", "escalated", "cancelled"].contains(String(words[2])) {
                conclusions[UInt64(row.integer(0) ?? 0), default: 0] += 1
            }
        }
    }

    /// Problems with one execution's ledger entries: every execution must be fully applied, or
    /// fully undone in reverse order; a step is applied twice only if idempotent.
    func problems(execution id: Int64, entries: [LedgerActions.Entry]) -> [String] {
        guard let execution = executions[id] else { return ["execution \(id) is in the ledger but not in the store"] }
        var problems: [String] = []
        let firstUndo = entries.firstIndex { $0.phase == "undo" } ?? entries.count
        let applies = entries[..<firstUndo]
        let undos = entries[firstUndo...]
        if let late = undos.first(where: { $0.phase != "undo" }) { problems.append("step \(late.step) applied after the rollback began") }
        var applied: [Int] = []
        for entry in applies {
            if let last = applied.last, entry.step == last {
                if !(execution.steps[safe: entry.step - 1]?.idempotent ?? false) { problems.append("non-idempotent step \(entry.step) applied twice") }
            } else if entry.step != (applied.last ?? 0) + 1 {
                problems.append("step \(entry.step) applied out of order after \(applied)")
            }
            if applied.last != entry.step { applied.append(entry.step) }
        }
        switch execution.outcome {
        case "applied":
            if !undos.isEmpty { problems.append("applied, yet \(undos.count) undo(s) ran") }
            if applied != Array(1...max(1, execution.steps.count)) || execution.steps.isEmpty { problems.append("applied, but the ledger holds steps \(applied) of \(execution.steps.count)") }
        case nil:
            problems.append("still in flight")
        default:
            var undone: [Int] = []
            for entry in undos {
                if let last = undone.last, entry.step == last {
                    if !(execution.steps[safe: entry.step - 1]?.undoIdempotent ?? true) { problems.append("non-idempotent undo of step \(entry.step) ran twice") }
                    continue
                }
                if let last = undone.last, entry.step > last { problems.append("undo of step \(entry.step) after undo of step \(last): not reverse order") }
                undone.append(entry.step)
            }
            let needed = Set(applied.filter { execution.steps[safe: $0 - 1]?.hasUndo ?? true })
            let missing = needed.subtracting(undone)
            if !missing.isEmpty { problems.append("rolled back, but steps \(missing.sorted()) were never undone") }
            // Only the step whose intent was written last may be undone without a recorded apply.
            let extra = Set(undone).subtracting(applied).subtracting([(applied.last ?? 0) + 1])
            if !extra.isEmpty { problems.append("undo of steps \(extra.sorted()) never applied or attempted") }
        }
        return problems.map { "execution \(id) (INC-\(execution.incident), \(execution.outcome ?? "in flight")): \($0)" }
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
