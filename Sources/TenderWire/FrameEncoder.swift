import SwiftProtobuf

/// Writes envelopes as frames: a 4-byte big-endian payload length, then the payload.
///
/// A frame whose payload exceeds the limit is never written: every peer refuses such a frame and
/// closes the connection, so sending one would cost the connection (and everything in flight on
/// it) instead of one message. The encoder throws `FrameTooLarge` instead and leaves `output`
/// untouched; the caller logs it.
public enum FrameEncoder {
    /// Append one frame to `output`, or throw without touching it if its payload is over `limit`.
    public static func append(_ envelope: WireEnvelope, to output: inout [UInt8], limit: Int = WireLimits.maxFrameSize) throws {
        let payload: [UInt8] = try envelope.serializedBytes()
        guard payload.count <= limit else { throw FrameTooLarge(length: payload.count, limit: limit) }
        let length = UInt32(payload.count).bigEndian
        withUnsafeBytes(of: length) { output.append(contentsOf: $0) }
        output.append(contentsOf: payload)
    }

    /// One frame as its own byte array (tests, one-off messages, a CFP sent to many).
    public static func frame(_ envelope: WireEnvelope, limit: Int = WireLimits.maxFrameSize) throws -> [UInt8] {
        var output: [UInt8] = []
        try append(envelope, to: &output, limit: limit)
        return output
    }
}

/// A frame refused before sending because its payload is larger than peers accept.
public struct FrameTooLarge: Error, Sendable, Hashable, CustomStringConvertible {
    public var length: Int
    public var limit: Int
    public var description: String { "frame not sent: payload of \(length) bytes is over the \(limit)-byte limit" }
}
