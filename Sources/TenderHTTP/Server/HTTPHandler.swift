/// What the server calls for every request, on the loop thread.
///
/// The handler answers exactly once through the responder, at once or later (after a backend's
/// asynchronous completion), but always on the loop thread. Responses go out in request order
/// whatever order they are given in, so a pipelined client reads them as it sent the requests.
public protocol HTTPHandler: AnyObject {
    func handle(_ request: HTTPRequest, responder: HTTPResponder)
}

/// The one-shot answer to one request. A second `respond` is ignored; a responder whose
/// connection has gone answers nobody.
public final class HTTPResponder {
    private weak var connection: HTTPConnection?
    private let sequence: UInt64
    public private(set) var isAnswered = false

    init(connection: HTTPConnection, sequence: UInt64) {
        self.connection = connection
        self.sequence = sequence
    }

    /// A responder that answers into a closure: for tests that call a handler without a socket.
    public init(_ capture: @escaping (HTTPResponse) -> Void) {
        connection = nil
        sequence = 0
        self.capture = capture
    }

    private var capture: ((HTTPResponse) -> Void)?

    public func respond(_ response: HTTPResponse) {
        guard !isAnswered else { return }
        isAnswered = true
        if let capture {
            capture(response)
            return
        }
        connection?.complete(sequence, with: response)
    }

    /// True while the client is still there to read an answer.
    public var isConnected: Bool { capture != nil || connection?.isOpen == true }
}
