import Foundation
import Testing

/// `tender history`, `show` and `approvals` on a store the executor drill filled.
@Suite(.serialized) struct HistoryCommandTests {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tender-history-\(UUID().uuidString)")
    var db: String { scratch.appendingPathComponent("tender.db").path }

    init() throws {
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    private func filledStore() throws {
        let ledger = scratch.appendingPathComponent("ledger.jsonl").path
        let actions = scratch.appendingPathComponent("actions.yaml").path
        let shipped = try String(contentsOf: TenderProcess.repository.appendingPathComponent("examples/actions.yaml"), encoding: .utf8)
        try shipped.replacingOccurrences(of: "/tmp/tender-ledger.jsonl, --,", with: "\(ledger), --fail, blackhole_prefix, --,")
            .write(toFile: actions, atomically: true, encoding: .utf8)
        let drill = try TenderProcess.run(["executor-drill", "--db", db, "--actions", actions, "--executions", "6", "--seed", "3"])
        #expect(drill.status == 0, "\(drill.stderr)")
    }

    @Test func historyListsEveryIncidentWithItsStateAndOutcomes() throws {
        try filledStore()
        let result = try TenderProcess.run(["history", "--db", db, "--json"])
        #expect(result.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let incidents = try #require(json["incidents"] as? [[String: Any]])
        #expect(incidents.map { $0["id"] as? Int } == [6, 5, 4, 3, 2, 1])
        for incident in incidents {
            let outcome = (incident["executions"] as? [[String: Any]])?.first?["outcome"] as? String
            #expect(["resolved", "escalated"].contains(incident["state"] as? String))
            #expect(["applied", "rolled_back"].contains(outcome))
            #expect(incident["resolved_by"] != nil)
            // The drill stores a real incident for each plan, so history reads its category.
            #expect(["security", "performance", "network", "database"].contains(incident["category"] as? String ?? "none"))
        }
        let resolved = try TenderProcess.run(["history", "--db", db, "--state", "resolved", "--json"])
        let only = try #require(try JSONSerialization.jsonObject(with: Data(resolved.stdout.utf8)) as? [String: Any])["incidents"] as? [[String: Any]]
        #expect(only?.allSatisfy { $0["state"] as? String == "resolved" } == true)
        let text = try TenderProcess.run(["history", "--db", db])
        #expect(text.stdout.contains("INC-1\t"))
    }

    @Test func showPrintsStepsWithIntentResultAndOutput() throws {
        try filledStore()
        let text = try TenderProcess.run(["show", "INC-1", "--db", db])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("intent recorded"))
        #expect(text.stdout.contains("succeeded (exit 0)"))
        #expect(text.stdout.contains("state: "))
        let json = try TenderProcess.run(["show", "1", "--db", db, "--json"])
        let timeline = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let executions = try #require(timeline["executions"] as? [[String: Any]])
        let steps = try #require(executions.first?["steps"] as? [[String: Any]])
        #expect(steps.first?["name"] as? String != nil)
        #expect(["succeeded", "failed", "rolled_back"].contains(steps.first?["state"] as? String))
        #expect(steps.first?["exit_status"] as? Int != nil)
        #expect(steps.first?["params"] as? String != nil)
        let events = try #require(timeline["events"] as? [[String: Any]])
        let kinds = Set(events.compactMap { $0["kind"] as? String })
        #expect(kinds.isSuperset(of: ["execution_started", "step_intent", "audit"]), "\(kinds)")
        // Wall-clock times, oldest first: nothing dated before this century (engine time would be).
        let times = events.compactMap { $0["at"] as? Double }
        #expect(times == times.sorted())
        #expect(times.allSatisfy { $0 > 1_600_000_000 }, "\(times)")
    }

    @Test func badInputGetsAClearError() throws {
        try filledStore()
        let unknown = try TenderProcess.run(["show", "INC-999", "--db", db])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("no incident INC-999"))
        let garbage = try TenderProcess.run(["show", "yesterday", "--db", db])
        #expect(garbage.stderr.contains("not an incident id"))
        let state = try TenderProcess.run(["history", "--db", db, "--state", "done"])
        #expect(state.stderr.contains("--state is `done`"))
        let missing = try TenderProcess.run(["history", "--db", scratch.appendingPathComponent("none.db").path])
        #expect(missing.stderr.contains("no store at"))
        let approve = try TenderProcess.run(["approvals", "approve", "77", "--db", db])
        #expect(approve.status != 0)
        #expect(approve.stderr.contains("no approval 77"))
        let list = try TenderProcess.run(["approvals", "list", "--db", db, "--json"])
        #expect(list.stdout.contains("\"approvals\""))
    }
}
