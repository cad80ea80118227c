import Foundation
import TenderUV
@testable import TenderHTTP

/// A response as read off the socket.
struct WireResponse {
    var status: Int
    var headers: [String: String]
    var body: String
}

/// Split raw response bytes into responses by Content-Length (test-side only; the server's
/// parsing is http-parser's). Returns the complete responses and whether bytes are left over.
func splitResponses(_ bytes: [UInt8]) -> [WireResponse] {
    var responses: [WireResponse] = []
    var rest = bytes[...]
    let separator = Array("\r\n\r\n".utf8)
    while let end = rest.firstRange(of: separator) {
        let head = String(decoding: rest[rest.startIndex..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2 { headers[parts[0].lowercased()] = parts[1].trimmingCharacters(in: .whitespaces) }
        }
        let status = Int(head[0].split(separator: " ")[1]) ?? 0
        if headers["content-type"] == "text/event-stream" {
            responses.append(WireResponse(status: status, headers: headers, body: String(decoding: rest[end.upperBound...], as: UTF8.self)))
            return responses
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        guard rest.distance(from: end.upperBound, to: rest.endIndex) >= length else { break }
        let bodyEnd = rest.index(end.upperBound, offsetBy: length)
        responses.append(WireResponse(status: status, headers: headers, body: String(decoding: rest[end.upperBound..<bodyEnd], as: UTF8.self)))
        rest = rest[bodyEnd...]
    }
    return responses
}

/// A raw TCP client on the test's loop: writes bytes, collects what comes back, and stops the
/// loop when `done` says it has enough (or the server closes).
final class RawClient {
    private(set) var received: [UInt8] = []
    private(set) var closedByServer = false
    var connection: StreamConnection?

    /// Connect, send `request`, then run the loop until `done(responses)` or the server closes.
    static func exchange(loop: EventLoop, port: Int, _ request: String, until done: @escaping (RawClient) -> Bool = { _ in false }) throws -> RawClient {
        let client = RawClient()
        StreamConnection.connect(loop: loop, host: "127.0.0.1", port: port) { result in
            guard case .success(let connection) = result else { loop.stop(); return }
            client.connection = connection
            connection.onRead = { bytes in
                client.received.append(contentsOf: bytes)
                if done(client) { loop.stop() }
            }
            connection.onClose = { _ in
                client.closedByServer = true
                loop.stop()
            }
            try? connection.startReading()
            connection.write(request)
        }
        guard try runWithDeadline(loop) else { throw TestTimeout() }
        return client
    }

    var responses: [WireResponse] { splitResponses(received) }

    func close() { connection?.close() }

    func appendBytes(_ bytes: UnsafeRawBufferPointer) { received.append(contentsOf: bytes) }
}

struct TestTimeout: Error {}

/// Run the loop until something stops it, or fail after `seconds` (a hung test must fail).
func runWithDeadline(_ loop: EventLoop, seconds: UInt64 = 20) throws -> Bool {
    var timedOut = false
    let deadline = try LoopTimer(loop: loop)
    deadline.unref()
    deadline.start(afterMilliseconds: seconds * 1000) {
        timedOut = true
        loop.stop()
    }
    loop.run()
    deadline.close()
    loop.runOnce()
    return !timedOut
}

/// A handler that holds every responder and answers them all, last first, once it has `count`:
/// the worst order for a pipelining connection to put right.
final class ReversingHandler: HTTPHandler {
    let count: Int
    private var held: [(HTTPRequest, HTTPResponder)] = []
    init(count: Int) { self.count = count }

    func handle(_ request: HTTPRequest, responder: HTTPResponder) {
        held.append((request, responder))
        guard held.count == count else { return }
        for (request, responder) in held.reversed() {
            responder.respond(.text(.ok, request.path))
        }
        held.removeAll()
    }
}
