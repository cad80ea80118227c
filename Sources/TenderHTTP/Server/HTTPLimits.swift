/// How much a client may send and how long it may take. Every limit answers with its own status:
/// a long request target gets 414, too many or too large headers 431, a large body 413, and a
/// client too slow to finish its headers (or idle too long between requests) is disconnected.
public struct HTTPLimits: Sendable, Hashable {
    /// Bytes in the request target (path and query).
    public var maxTargetBytes = 8 * 1024
    /// Bytes in all header names and values of one request together.
    public var maxHeaderBytes = 16 * 1024
    /// Header lines in one request.
    public var maxHeaderCount = 64
    /// Bytes in one request body (after chunked decoding).
    public var maxBodyBytes = 1024 * 1024
    /// Requests read ahead of their responses on one connection; past this, reading pauses.
    public var maxPipelinedRequests = 32
    /// Open client connections; one more is answered 503 and closed.
    public var maxConnections = 1024
    /// From a request's first byte to the end of its headers.
    public var headerTimeoutMilliseconds: UInt64 = 10_000
    /// From the end of the headers to the end of the body.
    public var bodyTimeoutMilliseconds: UInt64 = 30_000
    /// A keep-alive connection with no request in progress and no response owed.
    public var idleTimeoutMilliseconds: UInt64 = 60_000
    /// Unsent bytes an event-stream client may hold before it is dropped as too slow.
    public var maxEventStreamBacklogBytes = 256 * 1024

    public init() {}

    /// The granularity of timeout checks: a quarter of the shortest timeout, at most one second.
    var sweepIntervalMilliseconds: UInt64 {
        max(1, min(1000, min(headerTimeoutMilliseconds, bodyTimeoutMilliseconds, idleTimeoutMilliseconds) / 4))
    }
}
