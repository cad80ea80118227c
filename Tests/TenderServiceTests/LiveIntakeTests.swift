import Foundation
import Testing

/// The coordinator's other intake source: JSON lines on standard input, replies on stdout.
@Suite struct LiveIntakeTests {
    @Test func stdinLinesAreAnsweredOneByOne() throws {
        let input = writeTemporary(incidentLines(3, categories: ["network"]) + "not json\n" + #"{"category":"weather"}"# + "\n")
        let coordinator = try LiveProcess("stdin-coordinator", ["coordinator", "--listen", "127.0.0.1:0", "--intake", "127.0.0.1:0", "--stdin", "--approval-risk", "none"], stdin: FileHandle(forReadingAtPath: input))
        let replies = { coordinator.allLines.compactMap(LiveProcess.json).filter { $0["ok"] != nil } }
        #expect(coordinator.waitForLines(count: 5) { LiveProcess.json($0)?["ok"] != nil })
        let accepted = replies().filter { $0["ok"] as? Bool == true }
        let rejected = replies().filter { $0["ok"] as? Bool == false }
        #expect(accepted.count == 3)
        #expect(rejected.count == 2)
        #expect(rejected.contains { ($0["error"] as? String)?.hasPrefix("category:") == true })
        #expect(rejected.allSatisfy { $0["retry"] as? Bool == false })
        // One reply per line, in line order, each with its line number.
        #expect(replies().map { $0["line"] as? Int } == [1, 2, 3, 4, 5])
        coordinator.signal(SIGTERM)
        #expect(coordinator.waitForExit() != nil)
    }
}

@Suite struct LiveBackpressureTests {
    @Test func fullCoordinatorAnswersOverloadedAndTakesNothingSilently() throws {
        // No specialists, so nothing concludes quickly: the sixth incident finds the coordinator full.
        let coordinator = try LiveCoordinator(["--max-open", "5"])
        let client = try RawPeer(coordinator.intake)
        client.send(Array(incidentLines(8).utf8))
        var replies: [[String: Any]] = []
        var buffer: [UInt8] = []
        while replies.count < 8, let chunk = client.readSome() {
            buffer += chunk
            while let newline = buffer.firstIndex(of: 0x0A) {
                if let reply = LiveProcess.json(String(decoding: buffer[..<newline], as: UTF8.self)) { replies.append(reply) }
                buffer.removeSubrange(...newline)
            }
        }
        #expect(replies.count == 8)
        #expect(replies.filter { $0["ok"] as? Bool == true }.count == 5)
        let refused = replies.filter { $0["ok"] as? Bool == false }
        #expect(refused.count == 3)
        #expect(refused.allSatisfy { $0["error"] as? String == "overloaded" && $0["retry"] as? Bool == true })
    }

    @Test func admissionLimitAnswersOverloadedBeyondItAndEveryAdmittedIncidentResolves() throws {
        // The limit pinned at 5 (floor = ceiling) and specialists that bid 300 ms after each call,
        // so the first five are still in auction when the last three arrive.
        let coordinator = try LiveCoordinator(["--admission-target-ms", "25", "--admission-floor", "5", "--admission-ceiling", "5", "--reply-window-ms", "5000"])
        let specialists = try ["security", "performance", "network", "database"].map { kind in
            try coordinator.specialist(kind, name: "\(kind)-1", ["--time-scale", "0.0002", "--failure-scale", "0", "--reply-delay-ms", "300"])
        }
        defer { specialists.forEach { $0.stop() } }
        let client = try RawPeer(coordinator.intake)
        client.send(Array(("{\"op\":\"watch\"}\n" + incidentLines(8)).utf8))
        var replies: [[String: Any]] = []
        var conclusions: [[String: Any]] = []
        var buffer: [UInt8] = []
        while replies.count < 8 || conclusions.count < 5, let chunk = client.readSome() {
            buffer += chunk
            while let newline = buffer.firstIndex(of: 0x0A) {
                if let line = LiveProcess.json(String(decoding: buffer[..<newline], as: UTF8.self)) {
                    if line["event"] as? String == "concluded" {
                        conclusions.append(line)
                    } else if line["watching"] == nil {
                        replies.append(line)
                    }
                }
                buffer.removeSubrange(...newline)
            }
        }
        let admitted = Set(replies.filter { $0["ok"] as? Bool == true }.compactMap { ($0["id"] as? NSNumber)?.int64Value })
        let refused = replies.filter { $0["ok"] as? Bool == false }
        #expect(admitted.count == 5)
        #expect(refused.count == 3)
        #expect(refused.allSatisfy { $0["error"] as? String == "overloaded" && $0["retry"] as? Bool == true })
        // Nothing admitted is lost: every one is auctioned and resolved.
        #expect(Set(conclusions.compactMap { ($0["id"] as? NSNumber)?.int64Value }) == admitted)
        #expect(conclusions.allSatisfy { $0["conclusion"] as? String == "resolved" })
        coordinator.process.signal(SIGTERM)
        #expect(coordinator.process.waitForExit() == 0)
    }
}
