import Foundation
import Testing

/// The coordinator's other intake source: JSON lines on standard input, replies on stdout.
@Suite struct LiveIntakeTests {
    @Test func stdinLinesAreAnsweredOneByOne() throws {
        let input = writeTemporary(incidentLines(3, categories: ["network"]) + "not json\n" + #"{"category":"weather"}"# + "\n")
        let coordinator = try LiveProcess("stdin-coordinator", ["coordinator", "--listen", "127.0.0.1:0", "--intake", "127.0.0.1:0", "--stdin"], stdin: FileHandle(forReadingAtPath: input))
        let replies = { coordinator.allLines.compactMap(LiveProcess.json).filter { $0["ok"] != nil } }
        #expect(coordinator.waitForLines(count: 5) { LiveProcess.json($0)?["ok"] != nil })
        let accepted = replies().filter { $0["ok"] as? Bool == true }
        let rejected = replies().filter { $0["ok"] as? Bool == false }
        #expect(accepted.count == 3)
        #expect(rejected.count == 2)
        #expect(rejected.contains { ($0["error"] as? String)?.hasPrefix("category:") == true })
        #expect(rejected.allSatisfy { $0["retry"] as? Bool == false })
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
}
