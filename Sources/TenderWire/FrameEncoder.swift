import SwiftProtobuf

/// Writes envelopes as frames: a 4-byte big-endian payload length, then the payload.
public enum FrameEncoder {
    /// Append one frame to `output`. Encoding a generated message cannot fail in practice; the
    /// error is passed on rather than hidden.
    public static func append(_ envelope: WireEnvelope, to output: inout [UInt8]) throws {
        let payload: [UInt8] = try envelope.serializedBytes()
        let length = UInt32(payload.count).bigEndian
        withUnsafeBytes(of: length) { output.append(contentsOf: $0) }
        output.append(contentsOf: payload)
    }

    /// One frame as its own byte array (tests, one-off messages).
    public static func frame(_ envelope: WireEnvelope) throws -> [UInt8] {
        var output: [UInt8] = []
        try append(envelope, to: &output)
        return output
    }
}
