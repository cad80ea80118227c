import Testing
import TenderCore
@testable import TenderService
import TenderWire

/// Defect 1 of issue 8: an incident under the intake line limit whose CFP was a 144,047-byte
/// frame disconnected every invited specialist, every round. Intake now bounds incidents so that
/// everything accepted fits its frames, and the encoder refuses to send anything over the limit.
@Suite struct IncidentLimitsTests {
    let limits = IncidentLimits.standard

    /// The largest CFP any acceptable incident can cause: the most entities, values filling the
    /// whole entity budget, the longest service and region, the largest ids and a full window.
    static func largestCFP(_ limits: IncidentLimits) throws -> (submission: IncidentSubmission, frame: [UInt8]) {
        let valueBytes = min(limits.maxEntityValueBytes, limits.maxEntityBytes / limits.maxEntities)
        let value = String(repeating: "q", count: valueBytes)
        let submission = IncidentSubmission(
            category: .performance, severity: .critical,
            service: String(repeating: "s", count: limits.maxServiceBytes),
            region: String(repeating: "r", count: limits.maxRegionBytes),
            entities: Array(repeating: .service(value), count: limits.maxEntities),
            reference: String(repeating: "x", count: limits.maxReferenceBytes)
        )
        let incident = Incident(
            id: IncidentID(.max), category: submission.category, severity: submission.severity,
            service: submission.service, region: submission.region, entities: submission.entities,
            createdAt: Instant(seconds: 1e9)
        )
        let cfp = WireMapping.cfp(incident, ref: AuctionRef(incident: incident.id, round: .max), replyBy: Instant(seconds: 2e9), invited: 1000, now: Instant(seconds: 1.5e9))
        return (submission, try FrameEncoder.frame(.with { $0.cfp = cfp }))
    }

    @Test func theLargestAcceptableIncidentsCFPFitsWithMargin() throws {
        let (submission, frame) = try Self.largestCFP(limits)
        #expect(limits.violation(in: submission) == nil, "the test incident must itself be acceptable")
        // Accepted through the JSON-lines parser too.
        #expect(throws: Never.self) { try IncidentSubmission.parse(jsonLine: submission.jsonLine).get() }
        // At least a quarter of the frame limit spare, for a plan that quotes entities back.
        #expect(frame.count <= WireLimits.maxFrameSize * 3 / 4, "largest CFP is \(frame.count) bytes")
        // And the decoder every specialist runs takes it.
        var decoder = FrameDecoder()
        decoder.append(frame)
        #expect(try decoder.next() != nil)
    }

    @Test func theSixteenThousandEntityIncidentIsRefusedNamingTheField() {
        let entities = (0..<16_000).map { "{\"type\":\"ip\",\"value\":\"10.0.\($0 / 256).\($0 % 256)\"}" }.joined(separator: ",")
        let line = "{\"category\":\"security\",\"entities\":[\(entities)],\"ref\":\"big\"}"
        guard case .failure(let error) = IncidentSubmission.parse(jsonLine: line) else {
            Issue.record("a 16,000-entity incident was accepted")
            return
        }
        #expect(error.field == "entities")
        #expect(error.description == "entities: has 16000 entities; at most 256")
        #expect(error.reference == "big")
    }

    @Test func everyBoundNamesItsField() {
        func field(_ change: (inout IncidentSubmission) -> Void) -> String? {
            var submission = IncidentSubmission(category: .security, severity: .high, reference: "r")
            change(&submission)
            return limits.violation(in: submission)?.field
        }
        #expect(field { _ in } == nil)
        #expect(field { $0.service = String(repeating: "a", count: 257) } == "service")
        #expect(field { $0.region = String(repeating: "a", count: 65) } == "region")
        #expect(field { $0.reference = String(repeating: "a", count: 129) } == "ref")
        #expect(field { $0.reference = "" } == "ref")
        #expect(field { $0.entities = [.ip("1.2.3.4"), .query(String(repeating: "a", count: 1025))] } == "entities[1].value")
        #expect(field { $0.entities = Array(repeating: .query(String(repeating: "a", count: 1000)), count: 40) } == "entities")
        // Multi-byte characters count in bytes, as they travel.
        #expect(field { $0.service = String(repeating: "é", count: 129) } == "service")
    }
}
