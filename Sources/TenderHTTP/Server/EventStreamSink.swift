import TenderUV

/// The open end of one server-sent-events response. Sends are dropped once the client holds more
/// than its backlog allowance unread: a slow consumer is disconnected rather than buffered for.
public final class EventStreamSink {
    private let stream: StreamConnection
    private let maxBacklogBytes: Int
    /// Called once when the client goes away or is dropped.
    public var onClose: (() -> Void)?
    public private(set) var isOpen = true
    /// True when this sink was closed for falling behind.
    public private(set) var wasDroppedAsSlow = false

    init(stream: StreamConnection, maxBacklogBytes: Int) {
        self.stream = stream
        self.maxBacklogBytes = maxBacklogBytes
    }

    /// Send bytes already in event-stream form. Returns false when the client is gone or was just
    /// dropped because its unread backlog passed the allowance.
    @discardableResult
    public func send(_ bytes: [UInt8]) -> Bool {
        guard isOpen, stream.isOpen else { return false }
        if stream.pendingWriteBytes + bytes.count > maxBacklogBytes {
            wasDroppedAsSlow = true
            stream.abort()
            return false
        }
        stream.write(bytes)
        return true
    }

    public func close() {
        guard isOpen else { return }
        stream.close()
    }

    func didClose() {
        guard isOpen else { return }
        isOpen = false
        let callback = onClose
        onClose = nil
        callback?()
    }
}
