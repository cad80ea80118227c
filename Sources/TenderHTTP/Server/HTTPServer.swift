import TenderUV

/// An HTTP/1.1 server on a TenderUV loop: accepts connections up to a cap, parses requests with
/// http-parser, hands them to one handler and times out slow clients. Everything runs on the loop
/// thread; nothing here blocks it (the handler answers asynchronously when it must wait).
public final class HTTPServer {
    public let limits: HTTPLimits
    private let listener: TCPServer
    private let handler: HTTPHandler
    private let loop: EventLoop
    private var connections: [ObjectIdentifier: HTTPConnection] = [:]
    private let sweep: LoopTimer
    /// Counts of what happened to connections, for metrics and tests.
    public private(set) var acceptedConnections = 0
    public private(set) var refusedConnections = 0
    public private(set) var timedOutConnections = 0
    /// Receives one line per notable connection event (refused, timed out).
    public var onLog: ((String) -> Void)?

    /// Listen on `host:port` (port 0 picks a free one; read `port` after).
    public init(loop: EventLoop, host: String, port: Int, limits: HTTPLimits = HTTPLimits(), handler: HTTPHandler) throws(UVError) {
        self.loop = loop
        self.limits = limits
        self.handler = handler
        sweep = try LoopTimer(loop: loop)
        var accept: ((StreamConnection) -> Void)?
        do {
            listener = try TCPServer(loop: loop, host: host, port: port) { stream in accept?(stream) }
        } catch {
            sweep.close()
            throw error
        }
        accept = { [weak self] stream in
            guard let self else { return stream.abort() }
            self.accept(stream)
        }
        sweep.unref()
        sweep.start(afterMilliseconds: limits.sweepIntervalMilliseconds, repeatMilliseconds: limits.sweepIntervalMilliseconds) { [weak self] in
            self?.enforceTimeouts()
        }
    }

    public var port: Int { listener.port }
    public var openConnections: Int { connections.count }

    private func accept(_ stream: StreamConnection) {
        guard connections.count < limits.maxConnections else {
            refusedConnections += 1
            onLog?("http: refused \(stream.label): \(connections.count) connections open (limit \(limits.maxConnections))")
            stream.write(HTTPResponse.text(.serviceUnavailable, "too many connections; retry shortly\n").serialized(close: true))
            stream.close()
            return
        }
        acceptedConnections += 1
        let connection = HTTPConnection(stream: stream, limits: limits, handler: handler) { [unowned loop] in loop.nowMilliseconds }
        connections[ObjectIdentifier(connection)] = connection
        connection.onClose = { [weak self] closed in
            self?.connections[ObjectIdentifier(closed)] = nil
        }
        connection.start()
    }

    private func enforceTimeouts() {
        let now = loop.nowMilliseconds
        for connection in Array(connections.values) {
            if let timeout = connection.enforceTimeouts(at: now) {
                timedOutConnections += 1
                onLog?("http: closed \(connection.stream.label): \(timeout.rawValue) timeout")
            }
        }
    }

    deinit { close() }

    /// Stop listening and close every connection (each after what it was sent has gone out).
    public func close() {
        sweep.close()
        listener.close()
        for connection in Array(connections.values) { connection.close() }
    }
}
