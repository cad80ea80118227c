import SwiftProtobuf

/// Why a byte stream stopped being a valid sequence of frames. Every case ends the connection;
/// the description is the reason that is logged and sent in the closing `Goodbye`.
public enum FrameError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The header announced a payload larger than the limit; the body is never buffered.
    case oversized(length: Int, limit: Int)
    /// A header announcing a zero-length payload (an envelope always has a body).
    case empty
    /// The payload is not a valid protobuf `Envelope`.
    case malformed(String)
    /// The payload decoded, but it sets no message this version knows.
    case unknownMessage
    /// The stream ended in the middle of a frame.
    case truncated(buffered: Int)

    public var description: String {
        switch self {
        case .oversized(let length, let limit): "oversized frame: \(length) bytes announced, limit \(limit)"
        case .empty: "empty frame"
        case .malformed(let detail): "malformed frame: \(detail)"
        case .unknownMessage: "frame carries no known message"
        case .truncated(let buffered): "truncated frame: stream ended with \(buffered) bytes of an incomplete frame"
        }
    }
}

/// Turns received bytes into envelopes. Pure: no sockets, no clock; feed it bytes with
/// `append` and take complete frames with `next()`, or hand it each read with `decode(_:_:)`
/// (which parses in place when nothing is buffered), and call `finish()` at end of stream.
///
/// Frame layout (see docs/PROTOCOL.md): a 4-byte big-endian unsigned payload length, then that
/// many bytes of a protobuf-encoded `Envelope`. Memory stays bounded by `maxFrameSize` plus one
/// read, because an oversized length is rejected from the header alone.
public struct FrameDecoder: Sendable {
    public let maxFrameSize: Int
    private var buffer: [UInt8] = []
    private var start = 0

    public init(maxFrameSize: Int = WireLimits.maxFrameSize) {
        self.maxFrameSize = maxFrameSize
    }

    /// Bytes received but not yet consumed as frames.
    public var bufferedCount: Int { buffer.count - start }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        if start > 0, start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    public mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// The next complete envelope, or nil until more bytes arrive.
    public mutating func next() throws(FrameError) -> WireEnvelope? {
        let start = start
        let maxFrameSize = maxFrameSize
        let parsed = buffer.withUnsafeBytes { raw in
            Result { () throws(FrameError) in
                try Self.frame(in: UnsafeRawBufferPointer(rebasing: raw[start...]), maxFrameSize: maxFrameSize)
            }
        }
        guard case let (envelope, consumed)? = try parsed.get() else { return nil }
        self.start = start + consumed
        if self.start == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= 1 << 20)
            self.start = 0
        } else if self.start > 1 << 16, self.start * 2 > buffer.count {
            // Compact once the consumed prefix dominates, so the buffer does not creep.
            buffer.removeSubrange(0..<self.start)
            self.start = 0
        }
        guard envelope.body != nil else { throw .unknownMessage }
        return envelope
    }

    /// Decode every complete frame of one read, handing each envelope to `body` in order, and
    /// keep only an incomplete tail. When nothing is buffered (the usual case: reads end on frame
    /// boundaries) frames are parsed straight from `bytes`, without copying the read into the
    /// buffer first. `body` returns false to stop early (the connection closed); what is left of
    /// the read is then buffered, as `append` followed by `next()` would leave it.
    public mutating func decode(_ bytes: UnsafeRawBufferPointer, _ body: (WireEnvelope) -> Bool) throws(FrameError) {
        guard bufferedCount == 0 else {
            append(bytes)
            while let envelope = try next() {
                guard body(envelope) else { return }
            }
            return
        }
        var offset = 0
        while case let (envelope, consumed)? = try Self.frame(in: UnsafeRawBufferPointer(rebasing: bytes[offset...]), maxFrameSize: maxFrameSize) {
            offset += consumed
            guard envelope.body != nil else { throw .unknownMessage }
            guard body(envelope) else { break }
        }
        if offset < bytes.count { append(UnsafeRawBufferPointer(rebasing: bytes[offset...])) }
    }

    /// The frame at the start of `raw` and the bytes it spans, or nil if it is not complete yet.
    private static func frame(in raw: UnsafeRawBufferPointer, maxFrameSize: Int) throws(FrameError) -> (WireEnvelope, Int)? {
        guard raw.count >= WireLimits.headerSize else { return nil }
        let length = Int(UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt32.self)))
        guard length > 0 else { throw .empty }
        guard length <= maxFrameSize else { throw .oversized(length: length, limit: maxFrameSize) }
        let end = WireLimits.headerSize + length
        guard raw.count >= end else { return nil }
        do {
            let envelope = try WireEnvelope(serializedBytes: UnsafeRawBufferPointer(rebasing: raw[WireLimits.headerSize..<end]).bytes)
            return (envelope, end)
        } catch {
            throw .malformed("\(error)")
        }
    }

    /// The stream ended: anything left over is a truncated frame.
    public func finish() throws(FrameError) {
        if bufferedCount > 0 { throw .truncated(buffered: bufferedCount) }
    }
}

/// Limits every implementation of the protocol shares.
public enum WireLimits {
    /// Bytes in a frame header (the big-endian payload length).
    public static let headerSize = 4
    /// Largest payload accepted by default: generous for plans, small enough to bound memory.
    public static let maxFrameSize = 64 * 1024
}
