import Foundation
import Testing
import TenderCore
@testable import TenderHTTP

/// `POST /v1/incidents/{id}/cancel` against the synthetic backend: what the cancel did on 200,
/// 404, 409 naming the state, 400 naming the field (and nothing cancelled), 401 without the
/// token, and the read cache emptied by it.
@Suite struct CancelRouteTests {
    /// A fixture with incidents 1...n submitted (queued, open).
    func fixture(incidents n: Int, auth: BearerAuth = BearerAuth(token: nil)) -> RouterFixture {
        let fixture = RouterFixture(auth: auth)
        for _ in 0..<n {
            fixture.backend.submit([IncidentSubmission(category: .network, severity: .high, service: "api", region: "eu", entities: [])]) { _ in }
        }
        return fixture
    }

    func state(_ fixture: RouterFixture, _ id: UInt64) -> IncidentState? { fixture.backend.timeline(of: id)?.incident.state }

    @Test func anOpenIncidentIsCancelledOnceWithTheAPIAsActor() {
        let fixture = fixture(incidents: 1)
        let response = fixture.call("POST", "/v1/incidents/1/cancel")
        #expect(response?.status == .ok)
        let body = response?.json ?? [:]
        #expect(body["id"] as? Int == 1 && body["state"] as? String == "cancelled", "\(body)")
        #expect(body["actor"] as? String == "api" && body["reason"] as? String == "cancelled through the HTTP API")
        #expect(body["execution"] == nil, "nothing was running")
        #expect(state(fixture, 1) == .cancelled)
        #expect(fixture.backend.timeline(of: 1)?.events.last?.kind == "cancelled")
        #expect(fixture.backend.cancellations.map(\.id) == [1])

        // Twice is a conflict that names the state, and changes nothing.
        let again = fixture.call("POST", "/v1/incidents/INC-1/cancel", body: #"{"reason":"again"}"#)
        #expect(again?.status == .conflict)
        #expect(again?.json["state"] as? String == "cancelled")
        #expect((again?.json["error"] as? String)?.contains("already concluded (cancelled)") == true, "\(again?.text ?? "")")
        #expect(fixture.backend.cancellations.count == 1)
    }

    @Test func aRunningPlanIsRolledBackAndWhoAndWhyAreKept() throws {
        let fixture = fixture(incidents: 5)
        // The synthetic backend's first auction leaves its plan running (until four more
        // auctions finish it), the fifth waits for approval, the others conclude (resolved, or
        // failed for the third).
        fixture.backend.advance(auctions: 1)
        try #require(state(fixture, 1) == .executing)

        let running = fixture.call("POST", "/v1/incidents/1/cancel", body: #"{"reason":"false alarm","actor":"alice"}"#, headers: [("Content-Type", "application/json")])
        #expect(running?.status == .ok)
        #expect(running?.json["execution"] as? String == "rolling_back")
        #expect(running?.json["actor"] as? String == "alice" && running?.json["reason"] as? String == "false alarm")
        #expect(fixture.backend.cancellations.first?.actor == "alice" && fixture.backend.cancellations.first?.reason == "false alarm")
        #expect(fixture.backend.recentExecutions(limit: 200).first { $0.incidentId == 1 }?.state == .rolledBack)

        fixture.backend.advance(auctions: 4)
        try #require(state(fixture, 5) == .awaitingApproval && state(fixture, 2) == .resolved && state(fixture, 3) == .failed)
        #expect(state(fixture, 1) == .cancelled, "a cancelled plan ran on")
        let waiting = fixture.call("POST", "/v1/incidents/5/cancel")
        #expect(waiting?.status == .ok && waiting?.json["execution"] as? String == "rolling_back")
        #expect(fixture.backend.approvals().first { $0.incidentId == 5 }?.state == .expired, "the approval request was not withdrawn")

        let resolved = fixture.call("POST", "/v1/incidents/2/cancel")
        #expect(resolved?.status == .conflict && resolved?.json["state"] as? String == "resolved")
        #expect(fixture.call("POST", "/v1/incidents/3/cancel")?.json["state"] as? String == "failed")
        #expect(state(fixture, 2) == .resolved)
    }

    @Test func unknownIncidentIs404() {
        let fixture = fixture(incidents: 1)
        let response = fixture.call("POST", "/v1/incidents/99/cancel")
        #expect(response?.status == .notFound)
        #expect(response?.json["error"] as? String == "no incident INC-99")
        #expect(fixture.call("POST", "/v1/incidents/INC-99/cancel")?.status == .notFound)
        #expect(state(fixture, 1) == .queued)
    }

    @Test func badIdsAndBodiesAre400NamingTheFieldAndCancelNothing() {
        let fixture = fixture(incidents: 1)
        for target in ["/v1/incidents/abc/cancel", "/v1/incidents/0/cancel", "/v1/incidents/-1/cancel", "/v1/incidents/INC-/cancel", "/v1/incidents/99999999999999999999/cancel"] {
            let response = fixture.call("POST", target)
            #expect(response?.status == .badRequest, "\(target)")
            #expect(response?.errorFields == ["id"], "\(target)")
        }
        let cases: [(String, [String])] = [
            ("{not json", ["body"]),
            ("[]", ["body"]),
            ("\"stop\"", ["body"]),
            (#"{"why":"x"}"#, ["why"]),
            (#"{"reason":5}"#, ["reason"]),
            (#"{"reason":"a\nb"}"#, ["reason"]),
            (#"{"reason":"\#(String(repeating: "r", count: 513))"}"#, ["reason"]),
            (#"{"actor":""}"#, ["actor"]),
            (#"{"actor":true}"#, ["actor"]),
            (#"{"actor":"\#(String(repeating: "a", count: 65))"}"#, ["actor"]),
            (#"{"actor":"","reason":7,"by":"x"}"#, ["by", "reason", "actor"]),
        ]
        for (body, fields) in cases {
            let response = fixture.call("POST", "/v1/incidents/1/cancel", body: body)
            #expect(response?.status == .badRequest, "\(body)")
            #expect(response?.errorFields == fields, "\(body): \(response?.text ?? "")")
        }
        #expect(fixture.call("POST", "/v1/incidents/1/cancel", body: "{}", headers: [("Content-Type", "text/plain")])?.status == .unsupportedMediaType)
        #expect(state(fixture, 1) == .queued)
        #expect(fixture.backend.cancellations.isEmpty)
        // At the bounds, and an empty object, are taken.
        let bounded = fixture.call("POST", "/v1/incidents/1/cancel", body: #"{"reason":"\#(String(repeating: "r", count: 512))","actor":"\#(String(repeating: "a", count: 64))"}"#)
        #expect(bounded?.status == .ok, "\(bounded?.text ?? "")")
    }

    @Test func itNeedsTheTokenAndOnlyTakesPost() {
        let fixture = fixture(incidents: 1, auth: BearerAuth(token: "s3cret"))
        #expect(fixture.call("POST", "/v1/incidents/1/cancel")?.status == .unauthorized)
        #expect(fixture.call("POST", "/v1/incidents/1/cancel", headers: [("Authorization", "Bearer wrong")])?.status == .unauthorized)
        #expect(state(fixture, 1) == .queued)
        #expect(fixture.call("POST", "/v1/incidents/1/cancel", headers: [("Authorization", "Bearer s3cret")])?.status == .ok)
        let get = fixture.call("GET", "/v1/incidents/1/cancel", headers: [("Authorization", "Bearer s3cret")])
        #expect(get?.status == .methodNotAllowed && get?.header("Allow") == "POST")
        #expect(fixture.call("POST", "/v1/incidents/1/cancel/now")?.status == .notFound)
    }

    @Test func aCancelEmptiesTheReadCache() {
        let fixture = fixture(incidents: 1)
        // A clock that stands still: only the cancel can make the cached answer go.
        fixture.router.clock = { 100 }
        func listedState() -> String? { (fixture.call("GET", "/v1/incidents")?.json["incidents"] as? [[String: Any]])?.first?["state"] as? String }
        #expect(listedState() == "queued")
        #expect(fixture.call("POST", "/v1/incidents/1/cancel")?.status == .ok)
        // Same instant: a cached answer would still say queued.
        #expect(listedState() == "cancelled")
    }

    @Test func storeTroubleIs503() {
        let fixture = fixture(incidents: 1)
        fixture.backend.storeOpen = false
        let response = fixture.call("POST", "/v1/incidents/1/cancel")
        #expect(response?.status == .serviceUnavailable && response?.header("Retry-After") == "5")
    }
}
