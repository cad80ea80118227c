import Testing
@testable import TenderUV

@Suite struct TCPTests {
    @Test func echoesOverLoopbackWithBatchedWrites() throws {
        let loop = try EventLoop()
        var received: [UInt8] = []
        var server: TCPServer!
        server = try TCPServer(loop: loop, host: "127.0.0.1", port: 0) { connection in
            connection.onRead = { bytes in connection.write(bytes) }
            try? connection.startReading()
            server.close()
        }
        #expect(server.port > 0)
        let message = Array("hello, tender".utf8)
        StreamConnection.connect(loop: loop, host: "127.0.0.1", port: server.port) { result in
            guard case .success(let client) = result else {
                Issue.record("connect failed: \(result)")
                return
            }
            client.onRead = { bytes in
                received.append(contentsOf: bytes)
                if received.count >= message.count * 2 { client.close() }
            }
            try? client.startReading()
            // Two writes in one turn go out as one batch, in order.
            client.write(Array(message[..<5]))
            client.write(Array(message[5...]))
            client.write(message)
        }
        #expect(try runWithDeadline(loop))
        #expect(received == message + message)
    }

    @Test func connectionRefusedNamesTheErrorAndFunction() throws {
        let loop = try EventLoop()
        // Bind then close a server to find a port nobody listens on.
        let probe = try TCPServer(loop: loop, host: "127.0.0.1", port: 0) { _ in }
        let port = probe.port
        probe.close()
        loop.runOnce()
        var failure: UVError?
        StreamConnection.connect(loop: loop, host: "127.0.0.1", port: port) { result in
            if case .failure(let error) = result { failure = error }
            if case .success(let connection) = result { connection.close() }
        }
        #expect(try runWithDeadline(loop))
        #expect(failure?.name == "ECONNREFUSED")
        #expect(failure?.function == "uv_tcp_connect")
    }

    @Test func bindingAPortInUseThrows() throws {
        let loop = try EventLoop()
        let first = try TCPServer(loop: loop, host: "127.0.0.1", port: 0) { _ in }
        #expect(throws: UVError.self) {
            _ = try TCPServer(loop: loop, host: "127.0.0.1", port: first.port) { _ in }
        }
        do {
            _ = try TCPServer(loop: loop, host: "127.0.0.1", port: first.port) { _ in }
        } catch {
            #expect(error.name == "EADDRINUSE")
            // Linux reports the conflict when listening, libuv having deferred the bind error.
            #expect(["uv_tcp_bind", "uv_listen"].contains(error.function))
        }
        first.close()
        #expect(try runWithDeadline(loop))
    }

    @Test func peerEndOfFileClosesWithoutError() throws {
        let loop = try EventLoop()
        var serverSideEnd: UVError?? = .none
        var server: TCPServer!
        server = try TCPServer(loop: loop, host: "127.0.0.1", port: 0) { connection in
            connection.onClose = { serverSideEnd = .some($0) }
            try? connection.startReading()
            server.close()
        }
        StreamConnection.connect(loop: loop, host: "127.0.0.1", port: server.port) { result in
            if case .success(let client) = result { client.close() }
        }
        #expect(try runWithDeadline(loop))
        #expect(serverSideEnd == .some(nil))
    }

    @Test func largeWritesAreDeliveredCompletely() throws {
        let loop = try EventLoop()
        let size = 8 << 20
        var total = 0
        var server: TCPServer!
        server = try TCPServer(loop: loop, host: "127.0.0.1", port: 0) { connection in
            connection.onRead = { bytes in
                total += bytes.count
                if total == size { connection.close() }
            }
            try? connection.startReading()
            server.close()
        }
        StreamConnection.connect(loop: loop, host: "127.0.0.1", port: server.port) { result in
            guard case .success(let client) = result else { return }
            client.write([UInt8](repeating: 7, count: size))
            #expect(client.pendingWriteBytes == size)
            client.close()
        }
        #expect(try runWithDeadline(loop))
        #expect(total == size)
    }
}
