import Testing
import TenderUV
@testable import TenderHTTP

@Suite struct ServerSocketTests {
    @Test func pipelinedResponsesLeaveInRequestOrderWhateverOrderTheyAreAnswered() throws {
        let loop = try EventLoop()
        let server = try HTTPServer(loop: loop, host: "127.0.0.1", port: 0, handler: ReversingHandler(count: 4))
        let request = (1...4).map { "GET /r\($0) HTTP/1.1\r\nHost: t\r\n\r\n" }.joined()
        let client = try RawClient.exchange(loop: loop, port: server.port, request) { $0.responses.count == 4 }
        #expect(client.responses.map(\.body) == ["/r1", "/r2", "/r3", "/r4"])
        client.close()
        server.close()
    }

    @Test func answerReadyEarlyWaitsBehindAnUnacknowledgedPost() throws {
        let loop = try EventLoop()
        let backend = SyntheticBackend(specialists: 2, acknowledgement: .deferred)
        let router = APIRouter(backend: backend, metrics: MetricsRegistry(), events: EventHub())
        // The store "commits" only after the later GET has been answered: that answer is ready
        // first and must still go out second.
        let tap = TapHandler(router) { request in
            if request.path == "/healthz" {
                #expect(backend.heldAcknowledgementCount == 1)
                backend.releaseAcknowledgements()
            }
        }
        let server = try HTTPServer(loop: loop, host: "127.0.0.1", port: 0, handler: tap)
        let body = #"{"category":"security"}"#
        let request = "POST /v1/incidents HTTP/1.1\r\nHost: t\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n"
        let client = try RawClient.exchange(loop: loop, port: server.port, request) { $0.responses.count == 2 }
        #expect(client.responses.map(\.status) == [202, 200])
        client.close()
        server.close()
    }

    @Test func keepAliveServesManyRequestsOnOneConnection() throws {
        let loop = try EventLoop()
        let service = try APIService(loop: loop, host: "127.0.0.1", port: 0, backend: SyntheticBackend(), sampleMilliseconds: 0)
        var sent = 1
        var client: RawClient!
        client = try RawClient.exchange(loop: loop, port: service.port, "GET /v1/specialists HTTP/1.1\r\nHost: t\r\n\r\n") { client in
            let count = client.responses.count
            if count == sent, sent < 5 {
                sent += 1
                client.connection?.write("GET /v1/fairness HTTP/1.1\r\nHost: t\r\n\r\n")
            }
            return count == 5
        }
        #expect(client.responses.map(\.status) == [200, 200, 200, 200, 200])
        #expect(service.server.acceptedConnections == 1)
        client.close()
        service.close()
    }

    @Test func oversizedHeadersGet431AndTheConnectionCloses() throws {
        let loop = try EventLoop()
        var limits = HTTPLimits()
        limits.maxHeaderBytes = 256
        let service = try APIService(loop: loop, host: "127.0.0.1", port: 0, backend: SyntheticBackend(), limits: limits, sampleMilliseconds: 0)
        let client = try RawClient.exchange(loop: loop, port: service.port, "GET /healthz HTTP/1.1\r\nX-Big: \(String(repeating: "x", count: 400))\r\n\r\nGET /healthz HTTP/1.1\r\n\r\n")
        #expect(client.closedByServer)
        #expect(client.responses.map(\.status) == [431])
        #expect(client.responses.first?.headers["connection"] == "close")
        service.close()
    }

    @Test func clientThatNeverFinishesItsHeadersGets408AndIsClosed() throws {
        let loop = try EventLoop()
        var limits = HTTPLimits()
        limits.headerTimeoutMilliseconds = 40
        let service = try APIService(loop: loop, host: "127.0.0.1", port: 0, backend: SyntheticBackend(), limits: limits, sampleMilliseconds: 0)
        let client = try RawClient.exchange(loop: loop, port: service.port, "GET /healthz HTTP/1.1\r\nHost: slow")
        #expect(client.closedByServer)
        #expect(client.responses.map(\.status) == [408])
        #expect(service.server.timedOutConnections == 1)
        service.close()
    }

    @Test func connectionsBeyondTheCapGet503() throws {
        let loop = try EventLoop()
        var limits = HTTPLimits()
        limits.maxConnections = 1
        let service = try APIService(loop: loop, host: "127.0.0.1", port: 0, backend: SyntheticBackend(), limits: limits, sampleMilliseconds: 0)
        let first = try RawClient.exchange(loop: loop, port: service.port, "GET /healthz HTTP/1.1\r\n\r\n") { $0.responses.count == 1 }
        #expect(first.responses.first?.status == 200)
        let second = try RawClient.exchange(loop: loop, port: service.port, "GET /healthz HTTP/1.1\r\n\r\n")
        #expect(second.closedByServer)
        #expect(second.responses.map(\.status) == [503])
        #expect(service.server.refusedConnections == 1)
        first.close()
        service.close()
    }

    @Test func eventStreamDeliversEventsAndDropsASlowConsumer() throws {
        let loop = try EventLoop()
        var limits = HTTPLimits()
        limits.maxEventStreamBacklogBytes = 4096
        let service = try APIService(loop: loop, host: "127.0.0.1", port: 0, backend: SyntheticBackend(), limits: limits, sampleMilliseconds: 0)
        let client = try RawClient.exchange(loop: loop, port: service.port, "GET /events HTTP/1.1\r\nHost: t\r\n\r\n") { client in
            String(decoding: client.received, as: UTF8.self).contains("retry: 2000")
        }
        #expect(service.events.clientCount == 1)
        service.events.publish("award", json: Array(#"{"incident_id":1,"winner":"net-1"}"#.utf8))
        client.connection?.onRead = { bytes in
            client.appendForTest(bytes)
            if String(decoding: client.received, as: UTF8.self).contains("event: award") { loop.stop() }
        }
        #expect(try runWithDeadline(loop))
        #expect(String(decoding: client.received, as: UTF8.self).contains(#"data: {"incident_id":1,"winner":"net-1"}"#))
        // Ten 1 KB events in one loop turn exceed the 4 KB allowance before any can be flushed.
        client.connection?.onClose = { _ in loop.stop() }
        for _ in 0..<10 { service.events.publish("auction", json: Array(repeating: UInt8(ascii: "x"), count: 1000)) }
        #expect(try runWithDeadline(loop))
        #expect(service.events.clientCount == 0)
        #expect(service.events.droppedSlowClients == 1)
        service.close()
    }
}

extension RawClient {
    func appendForTest(_ bytes: UnsafeRawBufferPointer) { appendBytes(bytes) }
}

/// Passes requests to a handler, calling `after` once each has been handled.
final class TapHandler: HTTPHandler {
    let inner: HTTPHandler
    let after: (HTTPRequest) -> Void
    init(_ inner: HTTPHandler, after: @escaping (HTTPRequest) -> Void) {
        self.inner = inner
        self.after = after
    }

    func handle(_ request: HTTPRequest, responder: HTTPResponder) {
        inner.handle(request, responder: responder)
        after(request)
    }
}
