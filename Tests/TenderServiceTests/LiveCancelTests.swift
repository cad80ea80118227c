import Foundation
import Testing
import TenderStore

/// `{"op":"cancel","id":N}` against a running coordinator whose plan waits for approval after
/// its first step ran: the approval leaves the queue, the step that ran is undone, the incident
/// concludes `cancelled` once, and a second cancel is a no-op with a clear reply.
@Suite(.serialized) struct LiveCancelTests {
    /// Send one intake line on `peer` and read its one-line reply.
    func ask(_ peer: RawPeer, _ line: String) throws -> [String: Any] {
        peer.send(Array((line + "\n").utf8))
        var received: [UInt8] = []
        while !received.contains(UInt8(ascii: "\n")) {
            guard let bytes = peer.readSome() else { throw LiveTestError("no reply to \(line)") }
            received += bytes
        }
        let text = String(decoding: received.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
        return try #require(LiveProcess.json(text), "not JSON: \(text)")
    }

    @Test func cancellingAnIncidentWaitingForApprovalUndoesWhatRanAndConcludesItOnce() throws {
        let directory = try LedgerActions.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let ledger = "\(directory)/ledger.jsonl"
        let actions = try LedgerActions.write(ledger: ledger, in: directory)
        let database = "\(directory)/tender.db"
        let coordinator = try LiveCoordinator(["--db", database, "--executor", "command", "--actions", actions,
                                               "--approval-risk", "high", "--approval-poll-ms", "50", "--drain-timeout", "2"])
        let network = try coordinator.specialist("network", name: "network", ["--time-scale", "0.0002", "--failure-scale", "0"])
        defer { withExtendedLifetime(network) {} }
        let peer = try RawPeer(coordinator.intake)
        let accepted = try ask(peer, incidentLines(1, categories: ["network"]).trimmingCharacters(in: .newlines))
        let id = try #require(accepted["id"] as? Int, "\(accepted)")

        var pending: [ApprovalRow] = []
        let asked = ProcessTree.waitUntil(timeout: 60) {
            pending = (try? StoreReader(path: database).pendingApprovals()) ?? []
            return !pending.isEmpty
        }
        try #require(asked, "no approval requested: \(coordinator.process.stderr.suffix(2000))")
        #expect(LedgerActions.read(ledger).map(\.action) == ["drain_node"])

        let reply = try ask(peer, #"{"op":"cancel","id":\#(id),"by":"carol","reason":"false alarm"}"#)
        #expect(reply["ok"] as? Bool == true && reply["cancelled"] as? Bool == true, "\(reply)")
        #expect(reply["execution"] as? String == "rolling_back")

        let undone = ProcessTree.waitUntil(timeout: 60) {
            guard let audit = try? ExecutionAudit(database: database) else { return false }
            return audit.executions.values.contains { $0.incident == UInt64(id) && $0.outcome == "rolled_back" }
        }
        #expect(undone, "\(coordinator.process.stderr.suffix(3000))")
        let again = try ask(peer, #"{"op":"cancel","id":\#(id)}"#)
        #expect(again["ok"] as? Bool == false && again["state"] as? String == "cancelled", "\(again)")
        let unknown = try ask(peer, #"{"op":"cancel","id":999999}"#)
        #expect(unknown["error"] as? String == "id: no incident 999999")
        // `tender cancel` says the same, and fails, for an incident already concluded.
        let command = try LiveProcess("cancel", ["cancel", "INC-\(id)", "--intake", coordinator.intake, "--reason", "again"])
        #expect(command.waitForExit() == 1)
        #expect(command.allLines.joined().contains("has already concluded (cancelled); nothing to cancel"), "\(command.allLines) \(command.stderr)")
        coordinator.process.signal(SIGTERM)
        _ = coordinator.process.waitForExit()

        let audit = try ExecutionAudit(database: database)
        #expect(audit.statuses[UInt64(id)] == "cancelled")
        #expect(audit.conclusions[UInt64(id)] == 1, "concluded exactly once")
        #expect(audit.executions.values.filter { $0.incident == UInt64(id) }.count == 1, "not re-auctioned")
        #expect(LedgerActions.read(ledger).map(\.action) == ["drain_node", "undrain_node"])
        let reader = try StoreReader(path: database)
        #expect(try reader.pendingApprovals().isEmpty, "withdrawn from the queue")
        let timeline = try #require(try reader.timeline(incident: UInt64(id)))
        #expect(timeline.approvals.first?.decision == "superseded")
        #expect(timeline.audit.contains { $0.actor == "carol" && $0.why == "false alarm" && $0.what.contains("cancel requested") })
    }

    @Test func cancellingMidStepStopsTheRunningProgramAndUndoesIt() throws {
        let directory = try LedgerActions.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let ledger = "\(directory)/ledger.jsonl"
        let actions = try LedgerActions.write(ledger: ledger, in: directory)
        // drain_node (step 1 of the network plan) takes a minute; its undo is quick.
        var text = try String(contentsOfFile: actions, encoding: .utf8)
        let marker = "\ndrain_node:\n  argv: [\(FileManager.default.currentDirectoryPath)/examples/ledger-action.py, \(ledger), --,"
        try #require(text.contains(marker), "unexpected actions file:\n\(text)")
        text = text.replacingOccurrences(of: marker, with: marker.replacingOccurrences(of: ", --,", with: ", \"--sleep\", \"60\", --,"))
        try text.write(toFile: actions, atomically: true, encoding: .utf8)
        let database = "\(directory)/tender.db"
        let coordinator = try LiveCoordinator(["--db", database, "--executor", "command", "--actions", actions, "--drain-timeout", "2"])
        let network = try coordinator.specialist("network", name: "network", ["--time-scale", "0.0002", "--failure-scale", "0"])
        defer { withExtendedLifetime(network) {} }
        let peer = try RawPeer(coordinator.intake)
        let accepted = try ask(peer, incidentLines(1, categories: ["network"]).trimmingCharacters(in: .newlines))
        let id = try #require(accepted["id"] as? Int, "\(accepted)")

        // The step's program is running once the coordinator has a child.
        let pid = coordinator.process.process.processIdentifier
        var running: [Int32] = []
        let started = ProcessTree.waitUntil(timeout: 60) {
            running = ProcessTree.children(of: pid)
            return !running.isEmpty
        }
        try #require(started, "no step program started: \(coordinator.process.stderr.suffix(2000))")
        let command = try LiveProcess("cancel", ["cancel", String(id), "--intake", coordinator.intake, "--by", "dave", "--reason", "wrong host"])
        #expect(command.waitForExit() == 0, "\(command.stderr)")
        let reply = try #require(command.allLines.compactMap(LiveProcess.json).first, "\(command.allLines)")
        #expect(reply["cancelled"] as? Bool == true && reply["execution"] as? String == "rolling_back", "\(reply)")

        let undone = ProcessTree.waitUntil(timeout: 60) {
            guard let audit = try? ExecutionAudit(database: database) else { return false }
            return audit.executions.values.contains { $0.incident == UInt64(id) && $0.outcome == "rolled_back" }
        }
        #expect(undone, "\(coordinator.process.stderr.suffix(3000))")
        #expect(ProcessTree.waitUntil(timeout: 30) { running.allSatisfy(ProcessTree.isDead) }, "the stopped program still runs")
        coordinator.process.signal(SIGTERM)
        _ = coordinator.process.waitForExit()

        // Stopped during its sleep, drain_node never wrote; its undo ran anyway (its effect was
        // unknown), and nothing after it ran.
        #expect(LedgerActions.read(ledger).map(\.action) == ["undrain_node"])
        let timeline = try #require(try StoreReader(path: database).timeline(incident: UInt64(id)))
        #expect(timeline.incident.state == "cancelled")
        let steps = try #require(timeline.executions.first?.steps)
        #expect(steps.map { "\($0.phase) \($0.action) \($0.result ?? "-")" } == ["apply drain_node failed", "undo undrain_node succeeded"])
        #expect(steps.first?.exitStatus == 128 + 15)
        #expect(steps.first?.output?.contains("stopped: the execution was cancelled") == true)
        #expect(timeline.audit.contains { $0.actor == "dave" && $0.why == "wrong host" && $0.what.contains("cancel requested: rolling back") })
    }
}
