/// Why a connection was timed out.
enum ConnectionTimeout: String, Sendable, Hashable {
    /// The client began a request and did not finish its headers in time (slowloris).
    case headers
    /// The headers arrived but the body did not.
    case body
    /// Keep-alive with nothing in progress for too long.
    case idle
}

/// The timing state of one connection, and the pure rule for when it has waited too long.
///
/// Times are the loop's milliseconds. While the server owes a response (the backend is working)
/// or is streaming events, the client is not timed out: the wait is the server's, not the client's.
struct ConnectionDeadline: Sendable, Hashable {
    /// Last time the connection was at rest: opened, or its last response queued.
    var idleSince: UInt64
    /// When the request being read began (nil between requests).
    var requestStartedAt: UInt64?
    /// When that request's headers were complete (nil until then).
    var headersCompletedAt: UInt64?
    /// Responses owed to the client.
    var pendingResponses = 0
    var isStreaming = false

    init(openedAt now: UInt64) { idleSince = now }

    func timeout(at now: UInt64, limits: HTTPLimits) -> ConnectionTimeout? {
        if isStreaming { return nil }
        if let headersCompletedAt {
            return now - min(now, headersCompletedAt) >= limits.bodyTimeoutMilliseconds ? .body : nil
        }
        if let requestStartedAt {
            return now - min(now, requestStartedAt) >= limits.headerTimeoutMilliseconds ? .headers : nil
        }
        if pendingResponses > 0 { return nil }
        return now - min(now, idleSince) >= limits.idleTimeoutMilliseconds ? .idle : nil
    }
}
