import Foundation
import Testing
import TenderWire

/// Authentication and bad input on the specialist port, against a real coordinator process.
@Suite(.serialized) struct LiveConnectionTests {
    @Test func specialistWithAWrongKeyIsRefused() throws {
        let coordinatorKey = writeTemporary("coordinator-key-0123456789abcdef\n", suffix: ".key")
        let wrongKey = writeTemporary("some-other-key-0123456789abcdef\n", suffix: ".key")
        let coordinator = try LiveCoordinator(["--key-file", coordinatorKey])
        let impostor = try LiveProcess("impostor", ["specialist", "--profile", "specialists/security.yaml", "--coordinator", coordinator.specialists, "--key-file", wrongKey])
        let refused = impostor.waitForEvent("refused")
        #expect(refused?["reason"] as? String == "authentication failed")
        #expect(impostor.waitForExit() == 2)
        // The right key still gets in.
        let genuine = try coordinator.specialist("security", name: "genuine", ["--key-file", coordinatorKey])
        #expect(coordinator.process.stderr.contains("refused specialist"))
        genuine.stop()
    }

    @Test func garbageOversizedAndTruncatedFramesCloseOnlyThatConnection() throws {
        let coordinator = try LiveCoordinator()
        let specialist = try coordinator.specialist("security", name: "bystander", ["--time-scale", "0.0002", "--failure-scale", "0"])

        // A valid length followed by bytes that are not a protobuf Envelope.
        let garbage = try RawPeer(coordinator.specialists)
        garbage.send([0, 0, 0, 4, 0xFF, 0xFF, 0xFF, 0xFF])
        #expect(garbage.goodbyeReason()?.hasPrefix("malformed frame") == true)

        // A header announcing 2 GiB: refused from the header alone.
        let oversized = try RawPeer(coordinator.specialists)
        oversized.send([0x7F, 0xFF, 0xFF, 0xFF])
        #expect(oversized.goodbyeReason()?.hasPrefix("oversized frame") == true)

        // Half a frame, then the write side closes.
        let truncated = try RawPeer(coordinator.specialists)
        truncated.send([0, 0, 0, 40, 0x0A, 0x02])
        truncated.shutdownWrite()
        #expect(truncated.readToEnd() != nil)

        // The coordinator and its connected specialist carry on.
        let file = writeTemporary(incidentLines(3, categories: ["security"]))
        let submit = try LiveProcess("submit", ["submit", "--intake", coordinator.intake, "--file", file, "--wait", "--timeout", "60"])
        #expect(submit.waitForExit(timeout: 70) == 0)
        let conclusions = submit.allLines.compactMap(LiveProcess.json).filter { $0["event"] as? String == "concluded" }
        #expect(conclusions.count == 3)
        #expect(conclusions.allSatisfy { $0["specialist"] as? String == "bystander" })
        // Each bad connection was closed with its reason logged (by now: the log line is written
        // in the same loop turn as the close, long before three auctions complete).
        let log = coordinator.process.stderr
        #expect(log.contains("malformed frame"))
        #expect(log.contains("oversized frame"))
        #expect(log.contains("truncated frame"))
        specialist.stop()
    }
}

/// A bare TCP peer for sending bytes no real specialist would send.
final class RawPeer {
    let socket: Int32

    init(_ address: String) throws {
        let parts = address.split(separator: ":")
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var peer = sockaddr_in()
        peer.sin_family = sa_family_t(AF_INET)
        peer.sin_port = in_port_t(UInt16(parts[1])!).bigEndian
        inet_pton(AF_INET, String(parts[0]), &peer.sin_addr)
        let result = withUnsafePointer(to: &peer) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { throw LiveTestError("connect to \(address) failed: errno \(errno)") }
        // A blocking read with a deadline, so a coordinator that never answers fails the test.
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(socket) }

    func send(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    func shutdownWrite() { shutdown(socket, Int32(SHUT_WR)) }

    /// The next bytes received; nil at end of stream or after the read deadline.
    func readSome() -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(socket, &buffer, buffer.count, 0)
        return count > 0 ? Array(buffer[0..<count]) : nil
    }

    /// Everything the coordinator sends until it closes; nil if it did not close in time.
    func readToEnd() -> [UInt8]? {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(socket, &buffer, buffer.count, 0)
            if count == 0 { return received }
            if count < 0 { return errno == ECONNRESET ? received : nil }
            received.append(contentsOf: buffer[0..<count])
        }
    }

    /// The reason in the Goodbye frame the coordinator sends before closing.
    func goodbyeReason() -> String? {
        guard let bytes = readToEnd() else { return nil }
        var decoder = FrameDecoder()
        decoder.append(bytes)
        while let envelope = try? decoder.next() {
            if case .goodbye(let goodbye) = envelope.body { return goodbye.reason }
        }
        return nil
    }
}
