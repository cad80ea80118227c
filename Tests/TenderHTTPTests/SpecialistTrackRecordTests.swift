import Foundation
import Testing
import TenderCore
@testable import TenderHTTP

/// `GET /v1/specialists` carries each specialist's calibration, success rate and ended awards:
/// `null` until its record exists, numbers after.
@Suite struct SpecialistTrackRecordTests {
    static func status() -> SpecialistStatus {
        SpecialistStatus(name: "db-1", kind: "database", connected: true, load: 1, capacity: 4, wins: 3,
                         skills: PerCategory(repeating: 0.5), capability: 2)
    }

    @Test func theFiguresAreNullBeforeARecordExists() throws {
        let json = try #require(try JSONSerialization.jsonObject(with: APIJSON.encoder.encode(Self.status())) as? [String: Any])
        for key in ["calibration", "success_rate", "awards_concluded"] {
            #expect(json.keys.contains(key), "\(key) is missing rather than null")
            #expect(json[key] is NSNull, "\(key): \(json[key] ?? "absent")")
        }
        #expect(json["reputation"] == nil, "no synthetic reputation figure is invented")
    }

    @Test func theFiguresAppearOnceTheRecordDoes() throws {
        var status = Self.status()
        status.setTrackRecord(calibration: 1.4, successRate: 0.75, awardsConcluded: 8)
        let data = try APIJSON.encoder.encode(status)
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["calibration"] as? Double == 1.4)
        #expect(json["success_rate"] as? Double == 0.75)
        #expect(json["awards_concluded"] as? Int == 8)
        #expect(try APIJSON.decoder.decode(SpecialistStatus.self, from: data) == status, "it reads back as written")
    }
}
