import Foundation
import Testing
import TenderStore

/// `tender approvals` against a running coordinator: a high-risk step waits, a person approves
/// or denies it from another process through the store, and the coordinator acts on it.
@Suite(.serialized) struct LiveApprovalTests {
    @Test func aPersonApprovesOneWaitingStepAndDeniesAnotherWhileTheCoordinatorRuns() throws {
        let directory = try LedgerActions.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let ledger = "\(directory)/ledger.jsonl"
        let actions = try LedgerActions.write(ledger: ledger, in: directory)
        let database = "\(directory)/tender.db"
        let coordinator = try LiveCoordinator(["--db", database, "--executor", "command", "--actions", actions,
                                               "--approval-risk", "high", "--approval-poll-ms", "50", "--drain-timeout", "2"])
        let network = try coordinator.specialist("network", name: "network", ["--time-scale", "0.0002", "--failure-scale", "0"])
        // Released early in an optimised build otherwise (its deinit stops the process or closes
        // the sockets), which would end it before the test is done with it.
        defer { withExtendedLifetime(network) {} }
        // Two network incidents: step 2 of their plan (reroute_traffic) is high risk.
        let file = writeTemporary(incidentLines(2, categories: ["network"]))
        let submit = try LiveProcess("submit", ["submit", "--intake", coordinator.intake, "--file", file, "--timeout", "60"])
        #expect(submit.waitForExit(timeout: 70) == 0)
        let ids = submit.allLines.compactMap(LiveProcess.json).compactMap { $0["id"] as? Int }.map(UInt64.init)
        #expect(ids.count == 2)

        var pending: [ApprovalRow] = []
        let asked = ProcessTree.waitUntil(timeout: 60) {
            pending = (try? StoreReader(path: database).pendingApprovals()) ?? []
            return pending.count == 2
        }
        try #require(asked, "no approvals requested: \(coordinator.process.stderr.suffix(2000))")
        #expect(pending.allSatisfy { $0.action == "reroute_traffic" && $0.risk == "high" && $0.step == 1 })
        // Nothing high-risk ran before a decision.
        #expect(!LedgerActions.read(ledger).contains { $0.action == "reroute_traffic" })

        let listed = try LiveProcess("approvals", ["approvals", "list", "--db", database, "--json"])
        #expect(listed.waitForExit() == 0)
        #expect(listed.allLines.joined().contains("reroute_traffic"))

        let approved = pending.first { $0.incident == ids[0] }!
        let denied = pending.first { $0.incident == ids[1] }!
        let approve = try LiveProcess("approve", ["approvals", "approve", String(approved.id), "--db", database, "--by", "alice", "--reason", "change window"])
        #expect(approve.waitForExit() == 0, "\(approve.stderr)")
        let deny = try LiveProcess("deny", ["approvals", "deny", String(denied.id), "--db", database, "--by", "bob", "--reason", "not during the freeze"])
        #expect(deny.waitForExit() == 0, "\(deny.stderr)")
        // Deciding twice is refused, naming who decided.
        let again = try LiveProcess("again", ["approvals", "deny", String(approved.id), "--db", database])
        #expect(again.waitForExit() != 0)
        #expect(again.stderr.contains("already decided"))

        let acted = ProcessTree.waitUntil(timeout: 60) {
            guard let audit = try? ExecutionAudit(database: database) else { return false }
            return audit.statuses[ids[0]] == "resolved" && audit.statuses[ids[1]] == "escalated"
                && audit.executions.values.contains { $0.incident == ids[1] && $0.outcome == "rolled_back" }
        }
        #expect(acted, "\(coordinator.process.stderr.suffix(3000))")
        coordinator.process.signal(SIGTERM)
        _ = coordinator.process.waitForExit()

        let entries = LedgerActions.read(ledger)
        let first = entries.filter { $0.incident == "INC-\(ids[0])" }
        #expect(first.map(\.action) == ["drain_node", "reroute_traffic"])
        let audit = try ExecutionAudit(database: database)
        let deniedExecution = try #require(audit.executions[denied.execution])
        #expect(deniedExecution.outcome == "rolled_back")
        let second = entries.filter { $0.execution == String(denied.execution) }
        #expect(second.map(\.action) == ["drain_node", "undrain_node"])
        #expect(audit.problems(execution: denied.execution, entries: second).isEmpty)
        // Both decisions are in the audit log with who and why.
        let reader = try StoreReader(path: database)
        let trail = try #require(try reader.timeline(incident: ids[1])).audit
        #expect(trail.contains { $0.actor == "bob" && $0.why == "not during the freeze" && $0.what.hasPrefix("denied approval \(denied.id)") })
        // Denied means escalated, not re-auctioned: one execution, and the reason is named.
        #expect(audit.executions.values.filter { $0.incident == ids[1] }.count == 1)
        #expect(trail.contains { $0.what.contains("escalating (approval_denied)") })
        let approvals = try #require(try reader.timeline(incident: ids[0])).approvals
        #expect(approvals.contains { $0.id == approved.id && $0.decision == "approved" && $0.decidedBy == "alice" })
    }

    @Test func anApprovalNobodyAnswersTimesOutRollsBackEscalatesAndPages() throws {
        let directory = try LedgerActions.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let ledger = "\(directory)/ledger.jsonl"
        let actions = try LedgerActions.write(ledger: ledger, in: directory)
        let database = "\(directory)/tender.db"
        let pages = "\(directory)/pages.json"
        let coordinator = try LiveCoordinator(["--db", database, "--executor", "command", "--actions", actions, "--approval-risk", "high",
                                               "--approval-timeout", "0.3", "--approval-poll-ms", "50", "--drain-timeout", "2",
                                               "--notify-command", "/usr/bin/tee", "--notify-arg", "-a", "--notify-arg", pages])
        let network = try coordinator.specialist("network", name: "network", ["--time-scale", "0.0002", "--failure-scale", "0"])
        // Released early in an optimised build otherwise (its deinit stops the process or closes
        // the sockets), which would end it before the test is done with it.
        defer { withExtendedLifetime(network) {} }
        let file = writeTemporary(incidentLines(1, categories: ["network"]))
        let submit = try LiveProcess("submit", ["submit", "--intake", coordinator.intake, "--file", file, "--timeout", "60"])
        #expect(submit.waitForExit(timeout: 70) == 0)
        let id = try #require(submit.allLines.compactMap(LiveProcess.json).compactMap { $0["id"] as? Int }.first)
        let paged = ProcessTree.waitUntil(timeout: 60) {
            let text = (try? String(contentsOfFile: pages, encoding: .utf8)) ?? ""
            return text.contains("approval_timed_out") && text.contains("no decision")
        }
        #expect(paged, "\(coordinator.process.stderr.suffix(2000))")
        coordinator.process.signal(SIGTERM)
        _ = coordinator.process.waitForExit()

        let reader = try StoreReader(path: database)
        let timeline = try #require(try reader.timeline(incident: UInt64(id)))
        let first = try #require(timeline.approvals.first)
        #expect(first.decision == "timed_out")
        #expect(timeline.audit.contains { $0.what.contains("approval \(first.id) timed out") })
        let execution = try #require(timeline.executions.first { $0.id == first.execution })
        #expect(execution.outcome == "rolled_back")
        // The high-risk step never ran; the step before it was undone.
        let entries = LedgerActions.read(ledger).filter { $0.execution == String(first.execution) }
        #expect(entries.map(\.action) == ["drain_node", "undrain_node"])
        // Escalated after the one attempt, not re-auctioned.
        #expect(timeline.executions.count == 1)
        #expect(try ExecutionAudit(database: database).statuses[UInt64(id)] == "escalated")
        #expect(timeline.audit.contains { $0.what == "escalation reason: approval_timed_out" && $0.why.contains("got no decision within 0.3 s") })
    }
}
