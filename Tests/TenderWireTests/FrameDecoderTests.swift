import Testing
import TenderWire

@Suite struct FrameDecoderTests {
    static func cfp(_ incident: UInt64) -> WireEnvelope {
        .with {
            $0.cfp = .with {
                $0.ref = .with { $0.incident = incident; $0.round = 1 }
                $0.category = "security"
                $0.severity = "high"
            }
        }
    }

    @Test func decodesFramesSplitAtEveryByteBoundary() throws {
        let bytes = try FrameEncoder.frame(Self.cfp(1)) + FrameEncoder.frame(Self.cfp(2))
        for split in 0...bytes.count {
            var decoder = FrameDecoder()
            var decoded: [UInt64] = []
            decoder.append(Array(bytes[..<split]))
            while let envelope = try decoder.next() { decoded.append(envelope.cfp.ref.incident) }
            decoder.append(Array(bytes[split...]))
            while let envelope = try decoder.next() { decoded.append(envelope.cfp.ref.incident) }
            #expect(decoded == [1, 2], "split at \(split)")
            try decoder.finish()
        }
    }

    @Test func headerIsBigEndianPayloadLength() throws {
        let frame = try FrameEncoder.frame(.with { $0.heartbeat = .with { $0.sentAtMs = 1 } })
        // Envelope field 6 (heartbeat), length 2, containing field 1 varint 1.
        #expect(frame == [0, 0, 0, 4, 0x32, 0x02, 0x08, 0x01])
    }

    @Test func oversizedLengthIsRejectedFromTheHeaderAlone() {
        var decoder = FrameDecoder(maxFrameSize: 1024)
        decoder.append([0x00, 0x10, 0x00, 0x00])
        #expect(throws: FrameError.oversized(length: 1 << 20, limit: 1024)) { try decoder.next() }
    }

    @Test func zeroLengthFrameIsAnError() {
        var decoder = FrameDecoder()
        decoder.append([0, 0, 0, 0])
        #expect(throws: FrameError.empty) { try decoder.next() }
    }

    @Test func garbagePayloadIsMalformed() {
        var decoder = FrameDecoder()
        decoder.append([0, 0, 0, 3, 0xFF, 0xFF, 0xFF])
        #expect {
            try decoder.next()
        } throws: { error in
            guard case .malformed = error as? FrameError else { return false }
            return true
        }
    }

    @Test func envelopeWithoutAKnownMessageIsRejected() {
        var decoder = FrameDecoder()
        // Field 99, varint 1: valid protobuf, unknown to this version.
        decoder.append([0, 0, 0, 3, 0x98, 0x06, 0x01])
        #expect(throws: FrameError.unknownMessage) { try decoder.next() }
    }

    @Test func endOfStreamInsideAFrameIsTruncated() throws {
        let frame = try FrameEncoder.frame(Self.cfp(7))
        var decoder = FrameDecoder()
        decoder.append(Array(frame.dropLast()))
        #expect(try decoder.next() == nil)
        #expect(throws: FrameError.truncated(buffered: frame.count - 1)) { try decoder.finish() }
    }

    /// `decode(_:_:)` over a read split at every byte boundary gives the same frames as
    /// `append` + `next()`, whether it parses in place or through the buffer.
    @Test func decodeInPlaceMatchesAppendAndNextAtEveryBoundary() throws {
        let bytes = try FrameEncoder.frame(Self.cfp(1)) + FrameEncoder.frame(Self.cfp(2)) + FrameEncoder.frame(Self.cfp(3))
        for split in 0...bytes.count {
            var decoder = FrameDecoder()
            var decoded: [UInt64] = []
            for part in [Array(bytes[..<split]), Array(bytes[split...])] {
                try part.withUnsafeBytes { raw in
                    try decoder.decode(raw) { decoded.append($0.cfp.ref.incident); return true }
                }
            }
            #expect(decoded == [1, 2, 3], "split at \(split)")
            #expect(decoder.bufferedCount == 0)
            try decoder.finish()
        }
    }

    @Test func decodeStopsWhenTheHandlerSaysSoAndKeepsTheRest() throws {
        let first = try FrameEncoder.frame(Self.cfp(1))
        let bytes = try first + FrameEncoder.frame(Self.cfp(2))
        var decoder = FrameDecoder()
        var decoded: [UInt64] = []
        try bytes.withUnsafeBytes { raw in
            try decoder.decode(raw) { decoded.append($0.cfp.ref.incident); return false }
        }
        #expect(decoded == [1])
        #expect(decoder.bufferedCount == bytes.count - first.count)
        #expect(try decoder.next()?.cfp.ref.incident == 2)
    }

    @Test func decodeInPlaceReportsTheSameErrors() throws {
        var decoder = FrameDecoder(maxFrameSize: 1024)
        #expect(throws: FrameError.oversized(length: 1 << 20, limit: 1024)) {
            try [UInt8]([0x00, 0x10, 0x00, 0x00]).withUnsafeBytes { raw in try decoder.decode(raw) { _ in true } }
        }
        var empty = FrameDecoder()
        #expect(throws: FrameError.empty) {
            try [UInt8]([0, 0, 0, 0]).withUnsafeBytes { raw in try empty.decode(raw) { _ in true } }
        }
        var unknown = FrameDecoder()
        #expect(throws: FrameError.unknownMessage) {
            try [UInt8]([0, 0, 0, 3, 0x98, 0x06, 0x01]).withUnsafeBytes { raw in try unknown.decode(raw) { _ in true } }
        }
        let frame = try FrameEncoder.frame(Self.cfp(7))
        var truncated = FrameDecoder()
        try Array(frame.dropLast()).withUnsafeBytes { raw in try truncated.decode(raw) { _ in true } }
        #expect(throws: FrameError.truncated(buffered: frame.count - 1)) { try truncated.finish() }
    }
}
