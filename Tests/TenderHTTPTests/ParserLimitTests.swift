import Testing
@testable import TenderHTTP

@Suite struct ParserLimitTests {
    private func feed(_ text: String, limits: HTTPLimits = HTTPLimits(), chunk: Int? = nil) -> [HTTPRequestParser.Event] {
        let parser = HTTPRequestParser(limits: limits)
        let bytes = Array(text.utf8)
        var events: [HTTPRequestParser.Event] = []
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + (chunk ?? bytes.count))
            bytes[start..<end].withUnsafeBytes { events += parser.feed($0) }
            start = end
        }
        return events
    }

    private func requests(_ events: [HTTPRequestParser.Event]) -> [HTTPRequest] {
        events.compactMap { if case .request(let request) = $0 { request } else { nil } }
    }

    private func failure(_ events: [HTTPRequestParser.Event]) -> HTTPStatus? {
        events.lazy.compactMap { if case .failure(let status, _) = $0 { status } else { nil } }.first
    }

    @Test func parsesMethodTargetHeadersAndQuery() {
        let parsed = requests(feed("GET /v1/incidents?state=queued&category=net%77ork&x=a+b HTTP/1.1\r\nHost: x\r\nX-Thing: One\r\n\r\n"))
        #expect(parsed.count == 1)
        #expect(parsed[0].method == "GET")
        #expect(parsed[0].path == "/v1/incidents")
        #expect(parsed[0].query == ["state": "queued", "category": "network", "x": "a b"])
        #expect(parsed[0].header("x-thing") == "One")
        #expect(parsed[0].keepAlive)
    }

    @Test func sameRequestWhenBytesArriveOneAtATime() {
        let text = "POST /v1/incidents HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nLong-Header-Name: a value split anywhere\r\n\r\nhello"
        let whole = requests(feed(text))
        let trickled = requests(feed(text, chunk: 1))
        #expect(whole.count == 1 && trickled.count == 1)
        #expect(trickled[0].body == Array("hello".utf8))
        #expect(trickled[0].header("long-header-name") == "a value split anywhere")
        #expect(trickled[0].headers.count == whole[0].headers.count)
    }

    @Test func pipelinedRequestsComeOutInOrder() {
        let text = (1...5).map { "GET /r\($0) HTTP/1.1\r\nHost: x\r\n\r\n" }.joined()
        #expect(requests(feed(text)).map(\.path) == ["/r1", "/r2", "/r3", "/r4", "/r5"])
    }

    @Test func chunkedBodyIsDecoded() {
        let parsed = requests(feed("POST /v1/incidents HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"))
        #expect(parsed.first?.body == Array("abcde".utf8))
    }

    @Test func http10WithoutKeepAliveAsksToClose() {
        #expect(requests(feed("GET / HTTP/1.0\r\n\r\n")).first?.keepAlive == false)
        #expect(requests(feed("GET / HTTP/1.1\r\nConnection: close\r\n\r\n")).first?.keepAlive == false)
    }

    @Test func longTargetIs414() {
        var limits = HTTPLimits()
        limits.maxTargetBytes = 32
        let events = feed("GET /" + String(repeating: "a", count: 40) + " HTTP/1.1\r\n\r\n", limits: limits, chunk: 7)
        #expect(failure(events) == .uriTooLong)
        #expect(requests(events).isEmpty)
    }

    @Test func largeOrManyHeadersAre431() {
        var limits = HTTPLimits()
        limits.maxHeaderBytes = 64
        #expect(failure(feed("GET / HTTP/1.1\r\nX: " + String(repeating: "v", count: 100) + "\r\n\r\n", limits: limits)) == .headersTooLarge)
        limits = HTTPLimits()
        limits.maxHeaderCount = 3
        #expect(failure(feed("GET / HTTP/1.1\r\n" + (1...4).map { "H\($0): v\r\n" }.joined() + "\r\n", limits: limits)) == .headersTooLarge)
    }

    @Test func declaredOrChunkedBodyOverTheLimitIs413() {
        var limits = HTTPLimits()
        limits.maxBodyBytes = 10
        // Refused from the header alone, before any body byte is read.
        #expect(failure(feed("POST / HTTP/1.1\r\nContent-Length: 11\r\n\r\n", limits: limits)) == .payloadTooLarge)
        #expect(failure(feed("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n12345678\r\n8\r\n12345678\r\n0\r\n\r\n", limits: limits)) == .payloadTooLarge)
    }

    @Test func garbageIs400AndTheParserStaysFailed() {
        let parser = HTTPRequestParser(limits: HTTPLimits())
        var events = Array("GET / HTTP/1.1\r\nNo colon in this header\r\n\r\n".utf8).withUnsafeBytes { parser.feed($0) }
        #expect(failure(events) == .badRequest)
        events = Array("GET / HTTP/1.1\r\n\r\n".utf8).withUnsafeBytes { parser.feed($0) }
        #expect(events.isEmpty)
    }

    @Test func upgradeIsRefused() {
        #expect(failure(feed("GET /events HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n")) == .badRequest)
    }

    @Test func expectContinueIsReported() {
        let events = feed("POST / HTTP/1.1\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n")
        #expect(events.contains { if case .expectsContinue = $0 { true } else { false } })
    }

    @Test func malformedPercentEscapeKeepsTheRawText() {
        #expect(HTTPRequest(method: "GET", target: "/a%zz?q=%").path == "/a%zz")
        #expect(HTTPRequest(method: "GET", target: "/a?q=%").query["q"] == "%")
    }
}

@Suite struct ConnectionDeadlineTests {
    var limits: HTTPLimits {
        var limits = HTTPLimits()
        limits.headerTimeoutMilliseconds = 100
        limits.bodyTimeoutMilliseconds = 200
        limits.idleTimeoutMilliseconds = 1000
        return limits
    }

    @Test func idleConnectionTimesOutAfterTheIdleLimit() {
        let deadline = ConnectionDeadline(openedAt: 50)
        #expect(deadline.timeout(at: 1049, limits: limits) == nil)
        #expect(deadline.timeout(at: 1050, limits: limits) == .idle)
    }

    @Test func slowHeadersThenSlowBody() {
        var deadline = ConnectionDeadline(openedAt: 0)
        deadline.requestStartedAt = 500
        #expect(deadline.timeout(at: 599, limits: limits) == nil)
        #expect(deadline.timeout(at: 600, limits: limits) == .headers)
        deadline.headersCompletedAt = 550
        #expect(deadline.timeout(at: 700, limits: limits) == nil)
        #expect(deadline.timeout(at: 750, limits: limits) == .body)
    }

    @Test func waitingForTheServerOrStreamingNeverTimesOut() {
        var deadline = ConnectionDeadline(openedAt: 0)
        deadline.pendingResponses = 1
        #expect(deadline.timeout(at: 1_000_000, limits: limits) == nil)
        deadline.pendingResponses = 0
        deadline.isStreaming = true
        #expect(deadline.timeout(at: 1_000_000, limits: limits) == nil)
    }
}

@Suite struct UnknownMethodTests {
    @Test func methodTheParserDoesNotKnowIs405() {
        let parser = HTTPRequestParser(limits: HTTPLimits())
        let events = Array("QUERY /v1/incidents HTTP/1.1\r\n\r\n".utf8).withUnsafeBytes { parser.feed($0) }
        #expect(events.contains { if case .failure(.methodNotAllowed, _) = $0 { true } else { false } })
    }
}
