import Testing
import TenderWire

/// The encoder never produces a frame its peers would refuse (issue 8, defect 1: a 144,047-byte
/// CFP closed every invited specialist's connection).
@Suite struct FrameEncoderTests {
    static func cfp(entities: Int) -> WireEnvelope {
        .with { envelope in
            envelope.cfp = .with { cfp in
                cfp.category = "security"
                cfp.entities = (0..<entities).map { index in .with { $0.type = "ip"; $0.value = "10.0.\(index / 256).\(index % 256)" } }
            }
        }
    }

    @Test func aPayloadOverTheLimitIsRefusedAndNothingIsWritten() throws {
        var output: [UInt8] = [1, 2, 3]
        #expect(throws: FrameTooLarge.self) { try FrameEncoder.append(Self.cfp(entities: 16_000), to: &output) }
        #expect(output == [1, 2, 3])
        do {
            _ = try FrameEncoder.frame(Self.cfp(entities: 16_000))
        } catch let error as FrameTooLarge {
            #expect(error.limit == WireLimits.maxFrameSize)
            #expect(error.length > WireLimits.maxFrameSize)
        }
    }

    @Test func aPayloadOfExactlyTheLimitIsSentAndDecoded() throws {
        let envelope = Self.cfp(entities: 10)
        let payload: [UInt8] = try envelope.serializedBytes()
        let size = payload.count
        let frame = try FrameEncoder.frame(envelope, limit: size)
        #expect(frame.count == size + WireLimits.headerSize)
        #expect(throws: FrameTooLarge.self) { try FrameEncoder.frame(envelope, limit: size - 1) }
        var decoder = FrameDecoder(maxFrameSize: size)
        decoder.append(frame)
        #expect(try decoder.next() == envelope)
    }
}
