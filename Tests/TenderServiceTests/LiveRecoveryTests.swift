import Foundation
import Testing

/// Liveness and recovery: silent specialists, coordinator restarts.
@Suite(.serialized) struct LiveRecoveryTests {
    @Test func silentSpecialistIsDeclaredDeadByHeartbeatAndItsTaskReauctioned() throws {
        let coordinator = try LiveCoordinator(["--heartbeat-ms", "300"])
        let frozen = try coordinator.specialist("security", name: "frozen", ["--time-scale", "1", "--failure-scale", "0", "--announce-tasks"])
        let file = writeTemporary(incidentLines(1, categories: ["security"]))
        let submit = try LiveProcess("submit", ["submit", "--intake", coordinator.intake, "--file", file, "--wait", "--timeout", "60"])
        #expect(frozen.waitForEvent("awarded") != nil)
        let survivor = try coordinator.specialist("security", name: "survivor", ["--time-scale", "0.0002", "--failure-scale", "0"])
        // Stopped, not killed: the connection stays open, only the heartbeats stop.
        frozen.signal(SIGSTOP)
        #expect(submit.waitForExit(timeout: 70) == 0, "submit: \(submit.stderr)")
        let conclusions = submit.allLines.compactMap(LiveProcess.json).filter { $0["event"] as? String == "concluded" }
        #expect(conclusions.first?["specialist"] as? String == "survivor")
        #expect(coordinator.process.stderr.contains("heartbeat timeout"))
        frozen.signal(SIGCONT)
        frozen.stop()
        survivor.stop()
    }

    @Test func specialistReconnectsAfterACoordinatorCrashAndTheStoredIncidentIsReauctioned() throws {
        let database = NSTemporaryDirectory() + "tender-test-\(UUID().uuidString).db"
        let first = try LiveCoordinator(["--db", database])
        let specialist = try first.specialist("security", name: "steadfast", ["--time-scale", "1", "--failure-scale", "0", "--announce-tasks"])
        let file = writeTemporary(incidentLines(1, categories: ["security"]))
        let submit = try LiveProcess("submit", ["submit", "--intake", first.intake, "--file", file])
        #expect(submit.waitForExit() == 0)
        #expect(specialist.waitForEvent("awarded") != nil)
        // A crash: nothing settles, the incident is open in the store.
        first.process.signal(SIGKILL)
        _ = first.process.waitForExit()
        #expect(specialist.waitForEvent("disconnected") != nil)
        let second = try LiveCoordinator(["--db", database, "--listen", first.specialists])
        // The specialist reconnects on its own (backoff), drops what it held, and bids again.
        #expect(specialist.waitForEvents("connected", count: 2))
        #expect(specialist.waitForEvents("awarded", count: 2))
        #expect(second.process.stderr.contains("re-auctioning incidents recovered from the store"))
        specialist.stop()
    }
}

@Suite struct LivePoolTests {
    @Test func poolRestartsACrashedSpecialist() throws {
        let coordinator = try LiveCoordinator()
        let pool = try LiveProcess("pool", ["pool", "--count", "security=1", "--coordinator", coordinator.specialists, "--log-level", "info"])
        guard let first = pool.waitForEvent("started"), let pid = first["pid"] as? Int32 else {
            Issue.record("pool did not start a specialist: \(pool.stderr)")
            return
        }
        kill(pid, SIGKILL)
        #expect(pool.waitForEvents("started", count: 2, timeout: 30), "pool: \(pool.stderr)")
        let second = pool.allLines.compactMap(LiveProcess.json).filter { $0["event"] as? String == "started" }.last
        #expect(second?["name"] as? String == "security-1")
        #expect(second?["pid"] as? Int32 != pid)
        pool.signal(SIGTERM)
        #expect(pool.waitForExit() == 0)
    }
}
