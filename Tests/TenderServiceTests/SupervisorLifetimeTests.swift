import Foundation
import Testing

/// `tender pool` and `tender up` never leave specialists behind: not after `kill -9` of the
/// supervisor (the children used to be re-parented and keep serving), and not after a Ctrl-C
/// once the storm ended or a second Ctrl-C (`up` used to crash with SIGSEGV in
/// `StormFeeder.stop()`, closing a libuv timer whose memory was already freed).
@Suite(.serialized) struct SupervisorLifetimeTests {
    /// Children of `process`, once there are `count` of them.
    static func children(of process: LiveProcess, count: Int) throws -> [Int32] {
        let pid = process.process.processIdentifier
        var found: [Int32] = []
        let appeared = ProcessTree.waitUntil {
            found = ProcessTree.children(of: pid)
            return found.count >= count
        }
        guard appeared else { throw LiveTestError("expected \(count) children of \(pid), found \(found): \(process.stderr)") }
        return found
    }

    @Test func specialistsDieWithAKilledPool() throws {
        // Nobody listens on the coordinator port: the specialists keep retrying, as they would
        // while a coordinator restarts.
        let pool = try LiveProcess("pool", [
            "pool", "--coordinator", "127.0.0.1:9", "--count", "security=2", "--count", "network=1", "--log-level", "warning",
        ])
        #expect(pool.waitForEvents("started", count: 3))
        let pids = try Self.children(of: pool, count: 3)
        #expect(pids.allSatisfy { !ProcessTree.isDead($0) })
        pool.signal(SIGKILL)
        #expect(pool.waitForExit() != nil)
        #expect(ProcessTree.waitUntil { pids.allSatisfy(ProcessTree.isDead) }, "orphaned specialists: \(pids.filter { !ProcessTree.isDead($0) })")
    }

    static func up(_ name: String, logLevel: String = "notice") throws -> LiveProcess {
        // Analysis takes minutes of scenario time (seconds of real time at x0.01) and the storm
        // lasts 1.5 s, so the storm ends with incidents still in flight: `up` is then draining.
        try LiveProcess(name, [
            "up", "--poisson", "--rate", "0.2", "--duration", "150", "--time-scale", "0.01",
            "--listen", "127.0.0.1:0", "--intake", "127.0.0.1:0", "--count", "security=1", "--count", "network=1",
            "--log-level", logLevel, "--json",
        ])
    }

    static func waitForLog(_ process: LiveProcess, _ text: String) -> Bool {
        ProcessTree.waitUntil(timeout: 60) { process.stderr.contains(text) }
    }

    @Test func ctrlCAfterTheStormEndedExitsCleanly() throws {
        let up = try Self.up("up-after-storm")
        let pids = try Self.children(of: up, count: 2)
        #expect(Self.waitForLog(up, "storm finished"), "\(up.stderr)")
        up.signal(SIGINT)
        let status = up.waitForExit()
        #expect(status == 0, "\(up.stderr)")
        #expect(pids.allSatisfy(ProcessTree.isDead), "specialists left running")
        // The summary is snake_case JSON, like every --json output.
        let summary = (try? JSONSerialization.jsonObject(with: Data(up.allLines.joined(separator: "\n").utf8))) as? [String: Any]
        #expect(summary?["time_to_resolve_s"] != nil && summary?["jain_index"] != nil, "\(up.allLines)")
    }

    @Test func aSecondCtrlCStopsAtOnceAndCleanly() throws {
        let up = try Self.up("up-double-signal", logLevel: "info")
        let pids = try Self.children(of: up, count: 2)
        #expect(ProcessTree.waitUntil(timeout: 60) { up.stderr.components(separatedBy: "specialist joined").count > 2 }, "\(up.stderr)")
        // Ctrl-C twice in a row, then again once the first one is being handled.
        up.signal(SIGINT)
        up.signal(SIGINT)
        #expect(Self.waitForLog(up, "shutting down"), "\(up.stderr)")
        up.signal(SIGINT)
        #expect(up.waitForExit() == 0, "\(up.stderr)")
        #expect(pids.allSatisfy(ProcessTree.isDead), "specialists left running")
    }

    @Test func specialistsDieWithAKilledUp() throws {
        let up = try Self.up("up-killed")
        let pids = try Self.children(of: up, count: 2)
        up.signal(SIGKILL)
        #expect(up.waitForExit() != nil)
        #expect(ProcessTree.waitUntil { pids.allSatisfy(ProcessTree.isDead) }, "orphaned specialists: \(pids.filter { !ProcessTree.isDead($0) })")
    }
}
