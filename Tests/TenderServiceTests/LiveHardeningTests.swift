import Foundation
import Testing

/// Regressions of issue 8 against real processes: poison input, connection exhaustion, and
/// `tender submit` through a `kill -9` of the coordinator. Each waits for events, never for time.
@Suite(.serialized) struct LiveHardeningTests {
    /// Read reply lines until `count` arrived (or the peer's 20 s read deadline passed).
    static func replies(_ peer: RawPeer, count: Int) -> [[String: Any]] {
        var replies: [[String: Any]] = []
        var buffer: [UInt8] = []
        while replies.count < count, let chunk = peer.readSome() {
            buffer += chunk
            while let newline = buffer.firstIndex(of: 0x0A) {
                if let reply = LiveProcess.json(String(decoding: buffer[..<newline], as: UTF8.self)) { replies.append(reply) }
                buffer.removeSubrange(...newline)
            }
        }
        return replies
    }

    @Test func theSixteenThousandEntityIncidentIsRefusedAndEveryOtherIncidentResolves() throws {
        let coordinator = try LiveCoordinator()
        let specialist = try coordinator.specialist("security", name: "bystander", ["--time-scale", "0.0002", "--failure-scale", "0"])
        defer { specialist.stop() }
        // Under the 64 KiB line limit, as in the report: 16,000 one-letter users.
        let users = Array(repeating: "\"a\"", count: 16_000).joined(separator: ",")
        let poison = #"{"category":"security","severity":"high","ref":"poison","entities":{"user":[\#(users)]}}"#
        #expect(poison.utf8.count < 64 * 1024)
        let client = try RawPeer(coordinator.intake)
        client.send(Array(("{\"op\":\"watch\"}\n" + poison + "\n" + incidentLines(5, categories: ["security"])).utf8))
        let lines = Self.replies(client, count: 1 + 1 + 5 + 5)
        let replies = lines.filter { $0["event"] == nil && $0["watching"] == nil }
        let conclusions = lines.filter { $0["event"] as? String == "concluded" }
        #expect(replies.map { $0["line"] as? Int } == [2, 3, 4, 5, 6, 7], "one reply per line, in line order")
        let refusal = try #require(replies.first)
        #expect(refusal["ok"] as? Bool == false)
        #expect(refusal["error"] as? String == "entities: has 16000 entities; at most 256")
        #expect(refusal["ref"] as? String == "poison")
        #expect(refusal["retry"] as? Bool == false)
        #expect(replies.dropFirst().allSatisfy { $0["ok"] as? Bool == true })
        #expect(conclusions.count == 5)
        #expect(conclusions.allSatisfy { $0["conclusion"] as? String == "resolved" && $0["specialist"] as? String == "bystander" })
        #expect(!coordinator.process.stderr.contains("oversized"))
        #expect(!specialist.stderr.contains("oversized"))
    }

    @Test func intakeConnectionsAreLimitedAndSpecialistsStillConnect() throws {
        let coordinator = try LiveCoordinator(["--max-intake-connections", "2"])
        let silent = try (0..<2).map { _ in try RawPeer(coordinator.intake) }
        // Both are accepted: each answers a stats request.
        for peer in silent {
            peer.send(Array("{\"op\":\"stats\"}\n".utf8))
            #expect(Self.replies(peer, count: 1).first?["line"] as? Int == 1)
        }
        let third = try RawPeer(coordinator.intake)
        let refusal = third.readToEnd().map { String(decoding: $0, as: UTF8.self) }
        #expect(refusal?.contains(#""error":"too many intake connections (limit 2)""#) == true)
        #expect(refusal?.contains(#""retry":true"#) == true)
        // The specialists' listener is unaffected.
        let specialist = try coordinator.specialist("network", name: "still-welcome")
        specialist.stop()
        // Logged before the refused connection was closed, so it is in the log by now.
        #expect(coordinator.process.stderr.contains("refusing intake connection: limit reached"))
        // Released early in an optimised build otherwise (its deinit stops the process or closes
        // the sockets), which would end it before the test is done with it.
        defer { withExtendedLifetime(silent) {} }
    }

    @Test func aSilentIntakeConnectionIsClosedAfterTheIdleTimeout() throws {
        let coordinator = try LiveCoordinator(["--intake-idle-timeout", "0.2"])
        let silent = try RawPeer(coordinator.intake)
        // readToEnd returns once the coordinator closes it (nil only after the 20 s read deadline).
        #expect(silent.readToEnd() == [])
        #expect(coordinator.process.stderr.contains("closing idle intake connection"))
        // A watcher is waiting for conclusions, not idle: it is kept.
        let watcher = try RawPeer(coordinator.intake)
        watcher.send(Array("{\"op\":\"watch\"}\n".utf8))
        #expect(Self.replies(watcher, count: 1).first?["watching"] as? Bool == true)
        watcher.send(Array("{\"op\":\"stats\"}\n".utf8))
        #expect(Self.replies(watcher, count: 1).first?["line"] as? Int == 2, "still open after a silence")
    }

    @Test func submitAnswersEveryLineInOrderAndReportsFailuresInsteadOfHanging() throws {
        let coordinator = try LiveCoordinator()
        let file = writeTemporary(incidentLines(1) + "not json\n" + #"{"op":"watch"}"# + "\n" + incidentLines(1))
        let submit = try LiveProcess("submit", ["submit", "--intake", coordinator.intake, "--file", file, "--timeout", "120"])
        #expect(submit.waitForExit(timeout: 130) == 1)
        let replies = submit.allLines.compactMap(LiveProcess.json)
        #expect(replies.map { $0["line"] as? Int } == [1, 2, 4])
        #expect(replies.map { $0["ok"] as? Bool } == [true, false, true])
        #expect(replies[1]["error"] as? String == "not valid JSON")
        let stderr = submit.stderr
        #expect(stderr.contains("line 2: not valid JSON"))
        #expect(stderr.contains("line 3: `{\"op\":\"watch\"}` is a command"))
        #expect(stderr.contains("2 of 4 lines not accepted"))
        #expect(!stderr.contains("timed out"))
    }

    @Test func killMinus9DuringIntakeThenRestartGivesExactlyOneIncidentPerLine() throws {
        let database = NSTemporaryDirectory() + "tender-test-\(UUID().uuidString).db"
        let options = ["--db", database, "--admission-target-ms", "0"]
        let first = try LiveCoordinator(options)
        let count = 3000
        let file = writeTemporary(incidentLines(count))
        let submit = try LiveProcess("submit", ["submit", "--intake", first.intake, "--file", file, "--timeout", "120"])
        #expect(submit.waitForLine { $0.contains("\"line\":200,") } != nil)
        first.process.signal(SIGKILL)
        _ = first.process.waitForExit()
        // The same ports and store: submit reconnects and resends what was unanswered.
        let second = try LiveCoordinator(options + ["--listen", first.specialists, "--intake", first.intake])
        #expect(submit.waitForExit(timeout: 130) == 0, "submit: \(submit.stderr.suffix(2000))")
        let replies = submit.allLines.compactMap(LiveProcess.json).filter { $0["ok"] as? Bool == true }
        // Every line acknowledged exactly once, in order, and exactly one incident per line.
        #expect(replies.map { $0["line"] as? Int } == Array(1...count).map { $0 })
        let acknowledged = Set(replies.compactMap { ($0["id"] as? NSNumber)?.int64Value })
        #expect(acknowledged.count == count)
        let stored = try StoreInspection.statuses(database)
        #expect(Set(stored.keys) == acknowledged)
        second.process.signal(SIGTERM)
        _ = second.process.waitForExit()
    }

    @Test func aNewerSessionWithTheSameNameReplacesTheOlderWhichStops() throws {
        let coordinator = try LiveCoordinator()
        let older = try coordinator.specialist("database", name: "twin")
        let newer = try coordinator.specialist("database", name: "twin", ["--time-scale", "0.0002", "--failure-scale", "0"])
        defer { newer.stop() }
        // The older process is told why and stops instead of reconnecting (no flapping).
        #expect(older.waitForEvent("refused")?["reason"] as? String == "replaced by a newer session with the same name")
        #expect(older.waitForExit() == 2)
        #expect(coordinator.process.stderr.contains("closing the older session of a reconnected specialist"))
        // The newer session serves.
        let file = writeTemporary(incidentLines(2, categories: ["database"]))
        let submit = try LiveProcess("submit", ["submit", "--intake", coordinator.intake, "--file", file, "--wait", "--timeout", "60"])
        #expect(submit.waitForExit(timeout: 70) == 0, "submit: \(submit.stderr)")
        let conclusions = submit.allLines.compactMap(LiveProcess.json).filter { $0["event"] as? String == "concluded" }
        #expect(conclusions.count == 2)
        #expect(conclusions.allSatisfy { $0["specialist"] as? String == "twin" })
    }

    @Test func underOverloadSubmitRetriesEveryLineAndRepeatedRefsCreateOneIncident() throws {
        // Admission pinned at 3 in flight, and bids that take 100 ms: most lines are first
        // answered "overloaded" and must be retried, never printed as final.
        let coordinator = try LiveCoordinator(["--admission-target-ms", "25", "--admission-floor", "3", "--admission-ceiling", "3", "--reply-window-ms", "5000"])
        let specialists = try ["security", "performance", "network", "database"].map { kind in
            try coordinator.specialist(kind, name: "\(kind)-1", ["--time-scale", "0.0002", "--failure-scale", "0", "--reply-delay-ms", "100"])
        }
        defer { specialists.forEach { $0.stop() } }
        // 30 lines, each ref used twice.
        let lines = incidentLines(30).split(separator: "\n").enumerated().map { index, line in
            line.replacingOccurrences(of: #"{"category""#, with: #"{"ref":"ticket-\#(index / 2)","category""#)
        }
        let file = writeTemporary(lines.joined(separator: "\n") + "\n")
        let submit = try LiveProcess("submit", ["submit", "--intake", coordinator.intake, "--file", file, "--timeout", "120"])
        #expect(submit.waitForExit(timeout: 130) == 0, "submit: \(submit.stderr)")
        let replies = submit.allLines.compactMap(LiveProcess.json)
        #expect(replies.map { $0["line"] as? Int } == Array(1...30).map { $0 })
        #expect(replies.allSatisfy { $0["ok"] as? Bool == true })
        // The second line of each pair got the first one's incident.
        let ids = replies.compactMap { ($0["id"] as? NSNumber)?.int64Value }
        #expect(Set(ids).count == 15)
        #expect(replies.filter { $0["duplicate"] as? Bool == true }.count == 15)
        let stats = try RawPeer(coordinator.intake)
        stats.send(Array("{\"op\":\"stats\"}\n".utf8))
        let counters = try #require(Self.replies(stats, count: 1).first)
        #expect(counters["submitted"] as? Int == 15)
        #expect((counters["overloaded"] as? Int ?? 0) > 0, "the test must actually overload the coordinator")
    }
}
