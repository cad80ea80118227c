import TenderUV

/// One client connection: bytes in through the parser, requests out to the handler, responses
/// back in request order.
///
/// Pipelining: every parsed request gets a slot in order; a response fills its slot whenever the
/// handler gives it, and slots leave from the front only, so an answer that is ready early waits
/// for the ones before it. Reading pauses while `maxPipelinedRequests` answers are owed.
final class HTTPConnection {
    private struct Slot {
        var sequence: UInt64
        var headOnly: Bool
        var closeAfter: Bool
        var response: HTTPResponse?
    }

    let stream: StreamConnection
    private let parser: HTTPRequestParser
    private let limits: HTTPLimits
    private let handler: HTTPHandler
    private let now: () -> UInt64
    private var slots: [Slot] = []
    private var nextSequence: UInt64 = 0
    /// Set once a request asked to close or a parse failed: later requests are not read.
    private var acceptsRequests = true
    private var readingPaused = false
    private(set) var deadline: ConnectionDeadline
    private var sink: EventStreamSink?
    /// Called once, after the socket has closed.
    var onClose: ((HTTPConnection) -> Void)?

    init(stream: StreamConnection, limits: HTTPLimits, handler: HTTPHandler, now: @escaping () -> UInt64) {
        self.stream = stream
        self.limits = limits
        self.handler = handler
        self.now = now
        parser = HTTPRequestParser(limits: limits)
        deadline = ConnectionDeadline(openedAt: now())
    }

    var isOpen: Bool { stream.isOpen }

    func start() {
        stream.onRead = { bytes in self.read(bytes) }
        stream.onClose = { _ in
            self.sink?.didClose()
            self.sink = nil
            self.slots.removeAll()
            self.onClose?(self)
            self.onClose = nil
        }
        do {
            try stream.startReading()
        } catch {
            stream.abort()
        }
    }

    private func read(_ bytes: UnsafeRawBufferPointer) {
        // Once streaming events or closing, the client has nothing more to say that we will read.
        guard acceptsRequests, sink == nil else { return }
        for event in parser.feed(bytes) {
            switch event {
            case .request(let request):
                deadline.requestStartedAt = nil
                deadline.headersCompletedAt = nil
                accept(request)
            case .expectsContinue:
                // Only when nothing is owed: an interim response must not overtake earlier answers.
                if slots.isEmpty { stream.write("HTTP/1.1 100 Continue\r\n\r\n") }
            case .failure(let status, let reason):
                acceptsRequests = false
                let sequence = enqueue(headOnly: false, closeAfter: true)
                var response = HTTPResponse.text(status, reason + "\n")
                if status == .methodNotAllowed { response.headers.append(("Allow", HTTPRequestParser.implementedMethods)) }
                complete(sequence, with: response)
            }
            if !acceptsRequests { break }
        }
        let time = now()
        if parser.inRequest {
            if deadline.requestStartedAt == nil { deadline.requestStartedAt = time }
            if parser.headersComplete, deadline.headersCompletedAt == nil { deadline.headersCompletedAt = time }
        }
        if slots.count >= limits.maxPipelinedRequests, !readingPaused {
            readingPaused = true
            stream.stopReading()
        }
    }

    private func accept(_ request: HTTPRequest) {
        let closeAfter = !request.keepAlive
        if closeAfter { acceptsRequests = false }
        let sequence = enqueue(headOnly: request.method == "HEAD", closeAfter: closeAfter)
        handler.handle(request, responder: HTTPResponder(connection: self, sequence: sequence))
    }

    private func enqueue(headOnly: Bool, closeAfter: Bool) -> UInt64 {
        let sequence = nextSequence
        nextSequence += 1
        slots.append(Slot(sequence: sequence, headOnly: headOnly, closeAfter: closeAfter))
        deadline.pendingResponses = slots.count
        return sequence
    }

    /// Fill the slot of request `sequence`, then write every answer at the front that is ready.
    func complete(_ sequence: UInt64, with response: HTTPResponse) {
        guard let index = slots.firstIndex(where: { $0.sequence == sequence }) else { return }
        slots[index].response = response
        var written = 0
        while written < slots.count, let ready = slots[written].response {
            let slot = slots[written]
            written += 1
            if let open = ready.eventStream {
                stream.write(ready.serialized(close: false))
                let sink = EventStreamSink(stream: stream, maxBacklogBytes: limits.maxEventStreamBacklogBytes)
                self.sink = sink
                deadline.isStreaming = true
                acceptsRequests = false
                slots.removeAll()
                open(sink)
                return
            }
            stream.write(ready.serialized(close: slot.closeAfter, headOnly: slot.headOnly))
            if slot.closeAfter {
                slots.removeAll()
                stream.close()
                return
            }
        }
        guard written > 0 else { return }
        slots.removeFirst(written)
        deadline.pendingResponses = slots.count
        if slots.isEmpty { deadline.idleSince = now() }
        if readingPaused, slots.count < limits.maxPipelinedRequests, acceptsRequests {
            readingPaused = false
            try? stream.startReading()
        }
    }

    /// Close if the client has been too slow; a slow request gets 408 first.
    func enforceTimeouts(at time: UInt64) -> ConnectionTimeout? {
        guard let timeout = deadline.timeout(at: time, limits: limits) else { return nil }
        switch timeout {
        case .headers, .body:
            acceptsRequests = false
            stream.write(HTTPResponse.text(HTTPStatus(408, "Request Timeout"), "request not completed within the time allowed\n").serialized(close: true))
            stream.close()
        case .idle:
            stream.close()
        }
        return timeout
    }

    func close() {
        sink?.close()
        stream.close()
    }
}
