import Logging
import TenderUV
import TenderWire

/// A stream that speaks frames: decodes incoming envelopes and encodes outgoing ones straight
/// into the stream's outbox. Any frame error closes this connection alone, with the reason
/// logged and sent to the peer in a Goodbye.
final class FramedConnection {
    let stream: StreamConnection
    private var decoder: FrameDecoder
    private let logger: Logger
    /// Called for every decoded envelope, in order.
    var onEnvelope: ((WireEnvelope) -> Void)?
    /// Called once when the connection is gone, with the reason (nil: peer closed cleanly).
    var onClosed: ((String?) -> Void)?
    private var closeReason: String?
    private(set) var isClosed = false

    /// Largest payload sent: what the peer accepts.
    let maxFrameSize: Int

    init(stream: StreamConnection, maxFrameSize: Int = WireLimits.maxFrameSize, logger: Logger) {
        self.stream = stream
        self.maxFrameSize = maxFrameSize
        self.decoder = FrameDecoder(maxFrameSize: maxFrameSize)
        self.logger = logger
        stream.onRead = { [unowned self] bytes in self.received(bytes) }
        stream.onClose = { [unowned self] error in self.streamClosed(error) }
    }

    func start() {
        do {
            try stream.startReading()
        } catch {
            close(reason: "\(error)")
        }
    }

    var label: String { stream.label }

    private func received(_ bytes: UnsafeRawBufferPointer) {
        do {
            try decoder.decode(bytes) { envelope in
                guard !isClosed else { return false }
                onEnvelope?(envelope)
                return !isClosed
            }
        } catch {
            logger.warning("closing connection after a bad frame", metadata: ["peer": "\(label)", "reason": "\(error)"])
            close(reason: error.description)
        }
    }

    private func streamClosed(_ error: UVError?) {
        if closeReason == nil {
            if let error {
                closeReason = "\(error)"
            } else {
                do {
                    try decoder.finish()
                } catch {
                    logger.warning("connection ended inside a frame", metadata: ["peer": "\(label)", "reason": "\(error)"])
                    closeReason = error.description
                }
            }
        }
        isClosed = true
        onEnvelope = nil
        let callback = onClosed
        onClosed = nil
        callback?(closeReason)
    }

    func send(_ envelope: WireEnvelope) {
        guard !isClosed else { return }
        let limit = maxFrameSize
        stream.write { [logger, label] outbox in
            // A frame over the peer's limit is refused here (it would cost the connection);
            // encoding otherwise fails only on invalid UTF-8, which Swift strings cannot hold.
            do { try FrameEncoder.append(envelope, to: &outbox, limit: limit) } catch {
                logger.error("frame not sent", metadata: ["peer": "\(label)", "message": "\(envelope.body.map { "\($0)".prefix(40) } ?? "none")", "error": "\(error)"])
            }
        }
    }

    /// Send pre-encoded frame bytes (a CFP encoded once for every invitee).
    func send(frame bytes: [UInt8]) {
        guard !isClosed else { return }
        stream.write(bytes)
    }

    /// Say why in a Goodbye, then close once it has gone out.
    func close(reason: String) {
        guard !isClosed else { return }
        closeReason = closeReason ?? reason
        send(.with { $0.goodbye = .with { $0.reason = reason } })
        isClosed = true
        onEnvelope = nil
        stream.close()
    }
}
