import Foundation
import Testing

/// Multi-process tests over loopback: a real coordinator, real specialist processes, `tender
/// submit`. Each waits on readiness lines with generous deadlines; none sleeps.
@Suite(.serialized) struct LiveAuctionTests {
    /// Submit `lines` and wait for every incident to conclude; returns the conclusion events.
    func submitAndWait(_ coordinator: LiveCoordinator, _ lines: String, timeout: Double = 120) throws -> [[String: Any]] {
        let file = writeTemporary(lines)
        let submit = try LiveProcess("submit", ["submit", "--intake", coordinator.intake, "--file", file, "--wait", "--timeout", "\(timeout)"])
        let status = submit.waitForExit(timeout: timeout + 10)
        #expect(status == 0, "submit failed: \(submit.stderr)")
        return submit.allLines.compactMap(LiveProcess.json).filter { $0["event"] as? String == "concluded" }
    }

    @Test func everyIncidentIsResolved() throws {
        let coordinator = try LiveCoordinator()
        let specialists = try ["security", "performance", "network", "database"].map { kind in
            try coordinator.specialist(kind, name: "\(kind)-1", ["--time-scale", "0.0002", "--failure-scale", "0"])
        }
        let conclusions = try submitAndWait(coordinator, incidentLines(60))
        #expect(conclusions.count == 60)
        #expect(conclusions.allSatisfy { $0["conclusion"] as? String == "resolved" })
        // Every plan came from a playbook with its parameters filled.
        #expect(conclusions.allSatisfy { ($0["steps"] as? Int ?? 0) > 0 })
        coordinator.process.signal(SIGTERM)
        #expect(coordinator.process.waitForExit() == 0)
        specialists.forEach { $0.stop() }
    }

    @Test func specialistKilledMidTaskHasItsTasksReauctionedAndResolved() throws {
        let coordinator = try LiveCoordinator()
        // Slow enough that its two tasks are still being analysed when it is killed.
        let doomed = try coordinator.specialist("security", name: "doomed", ["--time-scale", "1", "--failure-scale", "0", "--announce-tasks"])
        let file = writeTemporary(incidentLines(2, categories: ["security"]))
        let submit = try LiveProcess("submit", ["submit", "--intake", coordinator.intake, "--file", file, "--wait", "--timeout", "120"])
        #expect(doomed.waitForLine { $0.contains("\"awarded\"") && $0.contains("\"incident\":2") } != nil)
        #expect(doomed.waitForLine { $0.contains("\"awarded\"") && $0.contains("\"incident\":1") } != nil)
        let survivor = try coordinator.specialist("security", name: "survivor", ["--time-scale", "0.0002", "--failure-scale", "0"])
        doomed.signal(SIGKILL)
        #expect(submit.waitForExit(timeout: 130) == 0, "submit failed: \(submit.stderr)")
        let conclusions = submit.allLines.compactMap(LiveProcess.json).filter { $0["event"] as? String == "concluded" }
        #expect(conclusions.count == 2)
        #expect(conclusions.allSatisfy { $0["conclusion"] as? String == "resolved" && $0["specialist"] as? String == "survivor" })
        #expect(coordinator.process.stderr.contains("winner left the pool"))
        survivor.stop()
    }

    @Test func sigtermDuringAStormExitsCleanlyAndLosesNothing() throws {
        let database = NSTemporaryDirectory() + "tender-test-\(UUID().uuidString).db"
        let coordinator = try LiveCoordinator(["--db", database])
        let specialists = try ["security", "performance", "network", "database"].map { kind in
            try coordinator.specialist(kind, name: "\(kind)-1", ["--time-scale", "0.00002", "--failure-scale", "0"])
        }
        let file = writeTemporary(incidentLines(1500))
        let submit = try LiveProcess("submit", ["submit", "--intake", coordinator.intake, "--file", file, "--timeout", "60"])
        // Mid-storm: some incidents acknowledged, more still arriving.
        #expect(submit.waitForLine { $0.contains("\"line\":50,") } != nil)
        coordinator.process.signal(SIGTERM)
        #expect(coordinator.process.waitForExit(timeout: 60) == 0, "coordinator: \(coordinator.process.stderr.suffix(2000))")
        // submit would wait for the coordinator to come back; its replies so far are printed.
        submit.signal(SIGTERM)
        _ = submit.waitForExit(timeout: 90)
        let acknowledged = Set(submit.allLines.compactMap(LiveProcess.json).filter { $0["ok"] as? Bool == true }.compactMap { ($0["id"] as? NSNumber)?.int64Value })
        #expect(acknowledged.count >= 50)
        let stopped = coordinator.process.waitForEvent("stopped")
        #expect(stopped?["incidents"] as? Int == acknowledged.count)
        #expect(stopped?["resolved"] as? Int == acknowledged.count)
        // Everything acknowledged is in the store, concluded.
        let rows = try StoreInspection.statuses(database)
        #expect(Set(rows.keys) == acknowledged)
        #expect(rows.values.allSatisfy { $0 == "resolved" })
        specialists.forEach { $0.stop() }
    }
}
