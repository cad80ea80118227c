import Foundation
import Testing

/// Liveness and recovery: silent specialists, coordinator restarts.
@Suite(.serialized) struct LiveRecoveryTests {
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
