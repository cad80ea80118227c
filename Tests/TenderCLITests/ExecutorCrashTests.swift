import Foundation
import Testing

/// The crash-recovery drill with real processes: `tender executor-drill` runs plans through the
/// command driver and the ledger program, and SIGKILLs its process group (children included) at
/// a seeded step event; it is restarted on the same store until it finishes. Then the ledger and
/// the store must agree: every execution fully applied or fully undone in reverse order, no
/// non-idempotent step applied twice, every incident concluded exactly once.
@Suite(.serialized) struct ExecutorCrashTests {
    struct LedgerLine: Decodable {
        var execution: String
        var step: Int
        var phase: String
        var action: String
    }

    @Test func killNineAtRandomStepEventsNeverLeavesAHalfAppliedPlan() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tender-drill-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let ledger = scratch.appendingPathComponent("ledger.jsonl").path
        let db = scratch.appendingPathComponent("tender.db").path
        let actions = scratch.appendingPathComponent("actions.yaml").path
        // The shipped actions file, with our ledger, and two actions that always fail so some
        // executions roll back.
        let shipped = try String(contentsOf: TenderProcess.repository.appendingPathComponent("examples/actions.yaml"), encoding: .utf8)
        try shipped.replacingOccurrences(of: "/tmp/tender-ledger.jsonl, --,", with: "\(ledger), --fail, blackhole_prefix, --fail, scale_out, --,")
            .write(toFile: actions, atomically: true, encoding: .utf8)

        let executions = 12
        var generator = SystemRandomNumberGenerator()
        var seed = UInt64.random(in: 1...1_000_000, using: &generator)
        let recordedSeed = seed
        var crashes = 0
        var finished = false
        for _ in 0..<60 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            let crashAt = Int(seed >> 33) % 60 + 1
            let result = try TenderProcess.run(["executor-drill", "--db", db, "--actions", actions, "--executions", "\(executions)", "--seed", "7", "--crash-at", "\(crashAt)"])
            if result.status == 0 {
                finished = true
                break
            }
            #expect(result.status == 9, "seed \(recordedSeed): drill exited \(result.status): \(result.stderr)")
            crashes += 1
        }
        #expect(finished, "seed \(recordedSeed): the drill never finished")
        #expect(crashes > 0, "seed \(recordedSeed): no crash happened")

        // The store: one execution per incident, each with an outcome; each incident concluded.
        let history = try TenderProcess.run(["history", "--db", db, "--json"])
        let incidents = try #require(try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [String: Any])["incidents"] as? [[String: Any]] ?? []
        #expect(incidents.count == executions)
        var outcomes: [String: String] = [:]
        for incident in incidents {
            let runs = incident["executions"] as? [[String: Any]] ?? []
            #expect(runs.count == 1, "seed \(recordedSeed): \(incident)")
            let outcome = runs.first?["outcome"] as? String ?? "?"
            outcomes["\(runs.first?["id"] as? Int ?? 0)"] = outcome
            #expect(outcome == "applied" || outcome == "rolled_back")
            #expect(incident["state"] as? String == (outcome == "applied" ? "resolved" : "escalated"))
        }

        // The ledger: what the programs actually did.
        let lines = try String(contentsOfFile: ledger, encoding: .utf8).split(separator: "\n")
            .map { try JSONDecoder().decode(LedgerLine.self, from: Data($0.utf8)) }
        let idempotent = try Self.idempotentActions(actions)
        for (execution, outcome) in outcomes {
            let mine = lines.filter { $0.execution == execution }
            let applies = mine.filter { $0.phase == "apply" }
            var order: [Int] = []
            for line in applies where !order.contains(line.step) { order.append(line.step) }
            for step in order {
                let count = applies.filter { $0.step == step }.count
                let action = applies.first { $0.step == step }?.action ?? ""
                #expect(count == 1 || idempotent.contains(action), "seed \(recordedSeed): execution \(execution) applied \(action) \(count) times")
            }
            let undos = mine.filter { $0.phase == "undo" }.map(\.step)
            if outcome == "applied" {
                #expect(undos.isEmpty, "seed \(recordedSeed): execution \(execution) applied but undid \(undos)")
            } else {
                // Every applied step with an undo is undone, after its apply, in reverse order.
                // (An undo of a step that never applied is allowed: its effect was unknown.)
                var seen = Set<Int>()
                let firstUndos = undos.filter { order.contains($0) && seen.insert($0).inserted }
                let expected = order.reversed().filter { step in Self.hasUndo(applies.first { $0.step == step }?.action ?? "") }
                #expect(firstUndos == Array(expected), "seed \(recordedSeed): execution \(execution) applied \(order), undid \(undos)")
                if let lastApply = mine.lastIndex(where: { $0.phase == "apply" }), let firstUndo = mine.firstIndex(where: { $0.phase == "undo" }) {
                    #expect(lastApply < firstUndo, "seed \(recordedSeed): execution \(execution) applied after undoing")
                }
            }
        }
    }

    /// Actions whose playbook undo is `noop`: nothing to undo.
    static func hasUndo(_ action: String) -> Bool {
        !["snapshot_replica_status", "kill_long_queries", "flush_dns_cache", "restart_service", "revoke_sessions", "snapshot_logs"].contains(action)
    }

    static func idempotentActions(_ path: String) throws -> Set<String> {
        var result = Set<String>()
        var current = ""
        for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") {
            if !line.hasPrefix(" "), !line.hasPrefix("#"), line.hasSuffix(":") { current = String(line.dropLast()) }
            if line.trimmingCharacters(in: .whitespaces) == "idempotent: true" { result.insert(current) }
        }
        return result
    }
}
