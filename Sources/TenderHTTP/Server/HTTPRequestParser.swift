import CHTTPParser

/// Feeds bytes to Node's http-parser and yields complete requests, enforcing `HTTPLimits` as the
/// bytes arrive (a request over a limit is refused before it is buffered whole).
///
/// After a failure the parser is spent: the connection answers the failure and closes, since the
/// framing of whatever follows can no longer be trusted.
final class HTTPRequestParser {
    /// What one `feed` produced, in order.
    enum Event {
        case request(HTTPRequest)
        /// The request's head is complete and announced `Expect: 100-continue`.
        case expectsContinue
        case failure(HTTPStatus, String)
    }

    /// Every method the server implements on some resource: the `Allow` of a 405 for a method
    /// http-parser does not know (it stops before the path, so no route can be named).
    static let implementedMethods = "GET, HEAD, POST"

    private let limits: HTTPLimits
    private let parser: UnsafeMutablePointer<http_parser>
    private var events: [Event] = []
    private(set) var failed = false
    /// True between a request's first byte and its last (what the timeouts look at).
    private(set) var inRequest = false
    /// True once the current request's headers are complete (its body is being read).
    private(set) var headersComplete = false

    private var target: [UInt8] = []
    private var headers: [(name: String, value: String)] = []
    private var field: [UInt8] = []
    private var value: [UInt8] = []
    private var readingValue = false
    private var headerBytes = 0
    private var body: [UInt8] = []
    private var pendingFailure: (HTTPStatus, String)?

    init(limits: HTTPLimits) {
        self.limits = limits
        parser = UnsafeMutablePointer<http_parser>.allocate(capacity: 1)
        http_parser_init(parser, HTTP_REQUEST)
        parser.pointee.data = Unmanaged.passUnretained(self).toOpaque()
    }

    deinit { parser.deallocate() }

    /// Parse what arrived; returns the requests completed by these bytes and at most one failure.
    func feed(_ bytes: UnsafeRawBufferPointer) -> [Event] {
        guard !failed, bytes.count > 0 else { return [] }
        events.removeAll(keepingCapacity: true)
        let consumed = withUnsafePointer(to: &Self.settings) { settings in
            http_parser_execute(parser, settings, bytes.baseAddress!.assumingMemoryBound(to: CChar.self), bytes.count)
        }
        let code = chttpparser_errno(parser)
        if code != HPE_OK.rawValue || consumed != bytes.count {
            fail(with: code)
        } else if chttpparser_upgrade(parser) != 0 {
            failed = true
            events.append(.failure(.badRequest, "protocol upgrades are not supported"))
        }
        return events
    }

    private func fail(with code: UInt32) {
        failed = true
        if let pendingFailure {
            events.append(.failure(pendingFailure.0, pendingFailure.1))
            return
        }
        let name = String(cString: http_errno_name(http_errno(code)))
        let description = String(cString: http_errno_description(http_errno(code)))
        let status: HTTPStatus = switch code {
        case HPE_HEADER_OVERFLOW.rawValue: .headersTooLarge
        // A method http-parser does not know is allowed on no resource here.
        case HPE_INVALID_METHOD.rawValue: .methodNotAllowed
        default: .badRequest
        }
        events.append(.failure(status, "malformed request: \(description) (\(name))"))
    }

    // MARK: Callbacks (return nonzero to stop the parser)

    private func refuse(_ status: HTTPStatus, _ reason: String) -> Int32 {
        pendingFailure = (status, reason)
        // -1, not 1: from on_headers_complete, 1 and 2 mean "no body" and "upgrade", not errors.
        return -1
    }

    fileprivate func messageBegin() -> Int32 {
        inRequest = true
        headersComplete = false
        target.removeAll(keepingCapacity: true)
        headers.removeAll(keepingCapacity: true)
        field.removeAll(keepingCapacity: true)
        value.removeAll(keepingCapacity: true)
        body = []
        readingValue = false
        headerBytes = 0
        return 0
    }

    fileprivate func url(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        guard target.count + bytes.count <= limits.maxTargetBytes else {
            return refuse(.uriTooLong, "request target longer than \(limits.maxTargetBytes) bytes")
        }
        target.append(contentsOf: bytes)
        return 0
    }

    fileprivate func headerField(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        if readingValue {
            finishHeader()
            readingValue = false
        }
        field.append(contentsOf: bytes)
        return countHeaderBytes(bytes.count)
    }

    fileprivate func headerValue(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        readingValue = true
        value.append(contentsOf: bytes)
        return countHeaderBytes(bytes.count)
    }

    private func countHeaderBytes(_ count: Int) -> Int32 {
        headerBytes += count
        guard headerBytes <= limits.maxHeaderBytes else {
            return refuse(.headersTooLarge, "headers larger than \(limits.maxHeaderBytes) bytes")
        }
        return 0
    }

    private func finishHeader() {
        headers.append((String(decoding: field, as: UTF8.self).lowercased(), String(decoding: value, as: UTF8.self)))
        field.removeAll(keepingCapacity: true)
        value.removeAll(keepingCapacity: true)
    }

    fileprivate func headersDone() -> Int32 {
        if readingValue || !field.isEmpty { finishHeader() }
        readingValue = false
        guard headers.count <= limits.maxHeaderCount else {
            return refuse(.headersTooLarge, "more than \(limits.maxHeaderCount) header lines")
        }
        let length = parser.pointee.content_length
        // http-parser leaves content_length at ULLONG_MAX when no Content-Length was sent.
        if length != UInt64.max, length > UInt64(limits.maxBodyBytes) {
            return refuse(.payloadTooLarge, "body of \(length) bytes is larger than the limit of \(limits.maxBodyBytes)")
        }
        headersComplete = true
        if headers.contains(where: { $0.name == "expect" && $0.value.lowercased() == "100-continue" }) {
            events.append(.expectsContinue)
        }
        return 0
    }

    fileprivate func bodyChunk(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        guard body.count + bytes.count <= limits.maxBodyBytes else {
            return refuse(.payloadTooLarge, "body larger than the limit of \(limits.maxBodyBytes) bytes")
        }
        body.append(contentsOf: bytes)
        return 0
    }

    fileprivate func messageComplete() -> Int32 {
        let method = String(cString: http_method_str(http_method(chttpparser_method(parser))))
        let request = HTTPRequest(
            method: method, target: String(decoding: target, as: UTF8.self),
            headers: headers, body: body, keepAlive: http_should_keep_alive(parser) != 0
        )
        body = []
        inRequest = false
        headersComplete = false
        events.append(.request(request))
        return 0
    }

    // MARK: C glue

    private static var settings: http_parser_settings = {
        var settings = http_parser_settings()
        http_parser_settings_init(&settings)
        settings.on_message_begin = { parser in owner(parser).messageBegin() }
        settings.on_url = { parser, at, length in owner(parser).url(UnsafeRawBufferPointer(start: at, count: length)) }
        settings.on_header_field = { parser, at, length in owner(parser).headerField(UnsafeRawBufferPointer(start: at, count: length)) }
        settings.on_header_value = { parser, at, length in owner(parser).headerValue(UnsafeRawBufferPointer(start: at, count: length)) }
        settings.on_headers_complete = { parser in owner(parser).headersDone() }
        settings.on_body = { parser, at, length in owner(parser).bodyChunk(UnsafeRawBufferPointer(start: at, count: length)) }
        settings.on_message_complete = { parser in owner(parser).messageComplete() }
        return settings
    }()
}

private func owner(_ parser: UnsafeMutablePointer<http_parser>?) -> HTTPRequestParser {
    Unmanaged<HTTPRequestParser>.fromOpaque(parser!.pointee.data).takeUnretainedValue()
}
