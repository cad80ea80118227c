import Foundation
import Testing
import TenderStore

/// The executor in the live coordinator, against real programs: `--executor command` runs
/// `examples/ledger-action.py` through argv (never a shell), and the store holds the step log.
@Suite(.serialized) struct LiveExecutionTests {
    static let payloads = ["; touch MARKER", "$(touch MARKER)", "`touch MARKER`", "| touch MARKER", "&& touch MARKER", "' \" > MARKER", "\ntouch MARKER"]

    static func line(category: String, ip: String, host: String, user: String, service: String, region: String, query: String) -> String {
        let object: [String: Any] = [
            "category": category, "severity": "high", "service": service, "region": region,
            "entities": [["type": "ip", "value": ip], ["type": "host", "value": host], ["type": "user", "value": user],
                         ["type": "query", "value": query], ["type": "service", "value": service]],
        ]
        return String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    @Test func plansRunThroughArgvAndShellMetacharactersInEveryEntityNeverReachAShell() throws {
        let directory = try LedgerActions.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let ledger = "\(directory)/ledger.jsonl"
        let marker = "\(directory)/injected"
        let actions = try LedgerActions.write(ledger: ledger, in: directory)
        let database = "\(directory)/tender.db"
        let coordinator = try LiveCoordinator(["--db", database, "--executor", "command", "--actions", actions])
        let specialists = try ["security", "network"].map { try coordinator.specialist($0, name: $0, ["--time-scale", "0.0002", "--failure-scale", "0"]) }
        // Released early in an optimised build otherwise (its deinit stops the process or closes
        // the sockets), which would end it before the test is done with it.
        defer { withExtendedLifetime(specialists) {} }

        // A clean network incident first, then one per payload with it in every field.
        var lines = [Self.line(category: "network", ip: "203.0.113.9", host: "web-1", user: "u1", service: "api", region: "eu-west-1", query: "q1")]
        for payload in Self.payloads {
            let poison = payload.replacingOccurrences(of: "MARKER", with: marker)
            lines.append(Self.line(category: "security", ip: "203.0.113.9" + poison, host: "web-1" + poison, user: "u1" + poison,
                                   service: "api" + poison, region: "eu-west-1" + poison, query: "q" + poison))
        }
        let file = writeTemporary(lines.joined(separator: "\n") + "\n")
        let submit = try LiveProcess("submit", ["submit", "--intake", coordinator.intake, "--file", file, "--wait", "--timeout", "90"])
        #expect(submit.waitForExit(timeout: 100) != nil)
        let replies = submit.allLines.compactMap(LiveProcess.json)
        let accepted = Dictionary(replies.filter { $0["ok"] as? Bool == true }.compactMap { reply -> (Int, Int)? in
            guard let line = reply["line"] as? Int, let id = reply["id"] as? Int else { return nil }
            return (line, id)
        }, uniquingKeysWith: { first, _ in first })
        let concluded = Dictionary(replies.filter { $0["event"] as? String == "concluded" }.compactMap { event -> (Int, String)? in
            guard let id = event["id"] as? Int, let conclusion = event["conclusion"] as? String else { return nil }
            return (id, conclusion)
        }, uniquingKeysWith: { first, _ in first })

        // The clean incident ran through the ledger program, argv element by element.
        let clean = try #require(accepted[1])
        #expect(concluded[clean] == "resolved", "\(coordinator.process.stderr.suffix(3000))")
        let entries = LedgerActions.read(ledger)
        let cleanEntries = entries.filter { $0.incident == "INC-\(clean)" }
        #expect(cleanEntries.map(\.phase) == ["apply", "apply"])
        #expect(cleanEntries.map(\.step) == [1, 2])
        #expect(cleanEntries.first?.args == ["host=web-1"])
        #expect(cleanEntries.last?.args == ["service=api", "region=eu-west-1"])

        // Every poisoned incident was refused at intake or by plan validation: never resolved,
        // no program ever saw its values, and no shell ever ran the payload.
        for line in 2...lines.count {
            guard let id = accepted[line] else { continue }
            #expect(concluded[id] != "resolved", "line \(line) resolved")
            #expect(!entries.contains { $0.incident == "INC-\(id)" }, "line \(line) reached a program")
        }
        #expect(!entries.contains { entry in entry.args.contains { $0.contains(marker) || $0.contains(";") || $0.contains("$(") || $0.contains("`") } })
        #expect(!FileManager.default.fileExists(atPath: marker))

        // Once stopped (its last writes committed), the store holds the clean execution as
        // applied, and no execution for the poisoned incidents.
        coordinator.process.signal(SIGTERM)
        #expect(coordinator.process.waitForExit() == 0)
        let audit = try ExecutionAudit(database: database)
        #expect(audit.executions.values.filter { $0.incident == UInt64(clean) }.map(\.outcome) == ["applied"])
        #expect(audit.statuses[UInt64(clean)] == "resolved")
        #expect(audit.executions.count == 1)
        // The system of record holds the auction around it: the round, the bids, the award and
        // why, and the specialists' sessions.
        let reader = try StoreReader(path: database)
        let timeline = try #require(try reader.timeline(incident: UInt64(clean)))
        #expect(timeline.auctions.first?.invited.contains("network") == true)
        #expect(timeline.bids.contains { $0.specialist == "network" && $0.value != nil })
        #expect(timeline.awards.first?.specialist == "network")
        #expect(timeline.awards.first?.why.contains("lowest score") == true)
        let sessions = try reader.database.rows("SELECT specialist, kind FROM sessions ORDER BY id").map { "\($0.text(0) ?? "")/\($0.text(1) ?? "")" }
        #expect(Set(sessions) == ["security/security", "network/network"])
    }

    @Test func aFailingStepIsUndoneInReverseOrderAndTheIncidentGoesBackToAuction() throws {
        let directory = try LedgerActions.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let ledger = "\(directory)/ledger.jsonl"
        // Step 2 of the network plan always fails: step 1 is undone, the incident re-auctioned,
        // and escalated once its attempts run out.
        let actions = try LedgerActions.write(ledger: ledger, in: directory, options: ["--fail", "reroute_traffic"])
        let database = "\(directory)/tender.db"
        // The escalation pages through an argv (no shell): tee appends the page's JSON to a file.
        let pages = "\(directory)/pages.json"
        let coordinator = try LiveCoordinator(["--db", database, "--executor", "command", "--actions", actions, "--notify-command", #"["/usr/bin/tee", "-a", "\#(pages)"]"#])
        let network = try coordinator.specialist("network", name: "network", ["--time-scale", "0.0002", "--failure-scale", "0"])
        // Released early in an optimised build otherwise (its deinit stops the process or closes
        // the sockets), which would end it before the test is done with it.
        defer { withExtendedLifetime(network) {} }
        let file = writeTemporary(Self.line(category: "network", ip: "203.0.113.9", host: "web-1", user: "u1", service: "api", region: "eu-west-1", query: "q1") + "\n")
        let submit = try LiveProcess("submit", ["submit", "--intake", coordinator.intake, "--file", file, "--wait", "--timeout", "90"])
        #expect(submit.waitForExit(timeout: 100) == 0, "\(submit.stderr)")
        let concluded = submit.allLines.compactMap(LiveProcess.json).first { $0["event"] as? String == "concluded" }
        #expect(concluded?["conclusion"] as? String == "escalated")
        let id = try #require(concluded?["id"] as? Int)
        let paged = ProcessTree.waitUntil(timeout: 30) {
            ((try? String(contentsOfFile: pages, encoding: .utf8)) ?? "").contains("\"incident\":\"INC-\(id)\"")
        }
        #expect(paged, "no page: \(coordinator.process.stderr.suffix(2000))")
        let page = (try? String(contentsOfFile: pages, encoding: .utf8)) ?? ""
        #expect(page.contains("TenderIncidentEscalated") && page.contains("attempts_exhausted"))
        coordinator.process.signal(SIGTERM)
        #expect(coordinator.process.waitForExit() == 0)
        let stopped = coordinator.process.waitForEvent("stopped")
        #expect((stopped?["executions_rolled_back"] as? Int ?? 0) >= 2)
        #expect(stopped?["executions_applied"] as? Int == 0)
        let entries = LedgerActions.read(ledger)
        let audit = try ExecutionAudit(database: database)
        #expect(audit.executions.count >= 2)
        #expect(audit.statuses.values.allSatisfy { $0 == "escalated" })
        for (id, execution) in audit.executions {
            #expect(execution.outcome == "rolled_back")
            let mine = entries.filter { $0.execution == String(id) }
            #expect(mine.map(\.phase) == ["apply", "undo"])
            #expect(mine.map(\.action) == ["drain_node", "undrain_node"])
            #expect(audit.problems(execution: id, entries: mine).isEmpty)
        }
    }
}
