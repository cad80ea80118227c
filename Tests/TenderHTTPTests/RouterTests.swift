import Foundation
import Testing
@testable import TenderHTTP

@Suite struct RouterTests {
    @Test func unknownPathIs404AndWrongMethodIs405WithAllow() {
        let fixture = RouterFixture()
        #expect(fixture.call("GET", "/v2/nothing")?.status == .notFound)
        let response = fixture.call("DELETE", "/v1/incidents")
        #expect(response?.status == .methodNotAllowed)
        #expect(response?.header("Allow") == "GET, POST")
        #expect(fixture.call("GET", "/v1/approvals/APR-1/approve")?.status == .methodNotAllowed)
        #expect(fixture.call("POST", "/v1/approvals/APR-1/maybe")?.status == .notFound)
    }

    @Test func validIncidentIsAcceptedWith202AndAnID() {
        let fixture = RouterFixture()
        let response = fixture.call("POST", "/v1/incidents", body: #"{"category":"network","severity":"high","service":"api","entities":[{"type":"ip","value":"203.0.113.7"}],"ref":"t-1"}"#)
        #expect(response?.status == .accepted)
        let incidents = response?.json["incidents"] as? [[String: Any]]
        #expect(incidents?.first?["id"] as? Int == 1)
        #expect(incidents?.first?["reference"] as? String == "t-1")
        #expect(fixture.backend.timeline(of: 1)?.incident.category == "network")
    }

    /// The JSON-lines intake's own decoding and bounds (`IncidentSubmission`, `IncidentLimits`):
    /// each incident's first fault is named, with the same message the TCP intake gives.
    @Test func invalidIncidentGets400NamingTheField() {
        let fixture = RouterFixture()
        let cases: [(String, String)] = [
            (#"{"category":"security","servce":"api"}"#, "servce"),
            (#"{"severity":"urgent"}"#, "category"),
            (#"{"category":"security","severity":"urgent"}"#, "severity"),
            (#"{"category":"security","entities":[{"type":"mac","value":"x"}]}"#, "entities[0].type"),
            (#"{"category":"security","ref":"\#(String(repeating: "r", count: 129))"}"#, "ref"),
            (#"{"category":"security","region":"\#(String(repeating: "x", count: 65))"}"#, "region"),
        ]
        for (body, field) in cases {
            let response = fixture.call("POST", "/v1/incidents", body: body)
            #expect(response?.status == .badRequest, "\(body)")
            #expect(response?.errorFields == [field], "\(body)")
        }
        #expect(fixture.backend.timeline(of: 1) == nil)
    }

    @Test func batchErrorsNameTheIndexAndNothingIsTaken() {
        let fixture = RouterFixture()
        let response = fixture.call("POST", "/v1/incidents", body: #"[{"category":"security"},{"category":"weather"},7]"#)
        #expect(response?.status == .badRequest)
        #expect(response?.errorFields == ["[1].category", "[2]"])
        #expect(fixture.backend.timeline(of: 1) == nil)
        let ok = fixture.call("POST", "/v1/incidents", body: #"[{"category":"security"},{"category":"database"}]"#)
        #expect((ok?.json["incidents"] as? [Any])?.count == 2)
    }

    @Test func bodyThatIsNotJSONOrTheWrongTypeIs400Or415() {
        let fixture = RouterFixture()
        #expect(fixture.call("POST", "/v1/incidents", body: "{not json")?.errorFields == ["body"])
        #expect(fixture.call("POST", "/v1/incidents", body: "")?.errorFields == ["body"])
        #expect(fixture.call("POST", "/v1/incidents", body: #"{"category":4}"#)?.errorFields == ["category"])
        #expect(fixture.call("POST", "/v1/incidents", body: "{}", headers: [("Content-Type", "text/plain")])?.status == .unsupportedMediaType)
    }

    @Test func overloadIs429WithRetryAfterAndStoreTroubleIs503() {
        let fixture = RouterFixture()
        fixture.backend.admissionLimit = 1
        #expect(fixture.call("POST", "/v1/incidents", body: #"{"category":"security"}"#)?.status == .accepted)
        let refused = fixture.call("POST", "/v1/incidents", body: #"{"category":"security"}"#)
        #expect(refused?.status == .tooManyRequests)
        #expect(refused?.header("Retry-After") == "2")
        fixture.backend.admissionLimit = .max
        fixture.backend.storeOpen = false
        #expect(fixture.call("POST", "/v1/incidents", body: #"{"category":"security"}"#)?.status == .serviceUnavailable)
    }

    @Test func acceptanceWaitsForDurability() {
        let fixture = RouterFixture(backend: SyntheticBackend(specialists: 2, acknowledgement: .deferred))
        var answer: HTTPResponse?
        fixture.router.handle(HTTPRequest(method: "POST", target: "/v1/incidents", body: Array(#"{"category":"security"}"#.utf8)), responder: HTTPResponder { answer = $0 })
        #expect(answer == nil)
        fixture.backend.releaseAcknowledgements()
        #expect(answer?.status == .accepted)
    }

    @Test func writesNeedTheTokenReadsOnlyWhenAsked() {
        let open = RouterFixture(auth: BearerAuth(token: "s3cret"))
        #expect(open.call("POST", "/v1/incidents", body: #"{"category":"security"}"#)?.status == .unauthorized)
        #expect(open.call("POST", "/v1/incidents", body: #"{"category":"security"}"#, headers: [("Authorization", "Bearer s3cre")])?.status == .unauthorized)
        #expect(open.call("POST", "/v1/incidents", body: #"{"category":"security"}"#, headers: [("Authorization", "Basic s3cret")])?.status == .unauthorized)
        #expect(open.call("POST", "/v1/incidents", body: #"{"category":"security"}"#, headers: [("Authorization", "Bearer s3cret")])?.status == .accepted)
        #expect(open.call("GET", "/v1/fairness")?.status == .ok)
        let closed = RouterFixture(auth: BearerAuth(token: "s3cret", protectReads: true))
        #expect(closed.call("GET", "/v1/fairness")?.status == .unauthorized)
        #expect(closed.call("GET", "/metrics")?.status == .unauthorized)
        #expect(closed.call("GET", "/v1/fairness", headers: [("Authorization", "bearer s3cret")])?.status == .ok)
        #expect(closed.call("GET", "/healthz")?.status == .ok)
    }

    @Test func constantTimeComparisonIsStillAComparison() {
        #expect(BearerAuth.constantTimeEqual(Array("abc".utf8), Array("abc".utf8)))
        #expect(!BearerAuth.constantTimeEqual(Array("abc".utf8), Array("abd".utf8)))
        #expect(!BearerAuth.constantTimeEqual(Array("abc".utf8), Array("abcd".utf8)))
        #expect(!BearerAuth.constantTimeEqual([], Array("a".utf8)))
        // Lengths that differ by a multiple of 256 must not look equal.
        #expect(!BearerAuth.constantTimeEqual([], Array(repeating: 0, count: 256)))
    }

    @Test func incidentListValidatesItsQueryAndPages() {
        let fixture = RouterFixture()
        for _ in 0..<5 { _ = fixture.call("POST", "/v1/incidents", body: #"{"category":"database"}"#) }
        #expect(Set(fixture.call("GET", "/v1/incidents?state=lost&category=x&limit=0&cursor=%20")?.errorFields ?? []) == ["state", "category", "limit", "cursor"])
        let first = fixture.call("GET", "/v1/incidents?limit=2&category=database")
        #expect((first?.json["incidents"] as? [[String: Any]])?.map { $0["id"] as? Int } == [5, 4])
        let cursor = first?.json["next_cursor"] as? String
        #expect(cursor != nil)
        let second = fixture.call("GET", "/v1/incidents?limit=10&cursor=\(cursor ?? "")")
        #expect((second?.json["incidents"] as? [[String: Any]])?.map { $0["id"] as? Int } == [3, 2, 1])
        #expect(second?.json["next_cursor"] == nil)
    }

    @Test func timelineBy404Or400() {
        let fixture = RouterFixture()
        _ = fixture.call("POST", "/v1/incidents", body: #"{"category":"database"}"#)
        #expect(fixture.call("GET", "/v1/incidents/1")?.status == .ok)
        #expect((fixture.call("GET", "/v1/incidents/INC-1")?.json["incident"] as? [String: Any])?["category"] as? String == "database")
        #expect(fixture.call("GET", "/v1/incidents/99")?.status == .notFound)
        #expect(fixture.call("GET", "/v1/incidents/abc")?.errorFields == ["id"])
    }

    @Test func approvalIsRecordedOnceThenConflicts() {
        let fixture = RouterFixture()
        fixture.backend.advance(auctions: 12)
        let pending = fixture.backend.approvals().filter { $0.state == .pending }
        #expect(!pending.isEmpty)
        let id = pending[0].id
        let approved = fixture.call("POST", "/v1/approvals/\(id)/approve", body: #"{"actor":"alice"}"#)
        #expect(approved?.status == .ok)
        #expect(approved?.json["state"] as? String == "approved")
        #expect(fixture.backend.decisions.last?.actor == "alice")
        #expect(fixture.call("POST", "/v1/approvals/\(id)/deny")?.status == .conflict)
        #expect(fixture.call("POST", "/v1/approvals/APR-none/deny")?.status == .notFound)
        #expect(fixture.call("POST", "/v1/approvals/\(id)/deny", body: #"{"actor":""}"#)?.errorFields == ["actor"])
        #expect(fixture.call("POST", "/v1/approvals/\(id)/deny", body: #"{"actor":null,"x":1}"#)?.errorFields == ["x", "actor"])
    }

    @Test func fairnessComparesWinShareWithCapabilityShare() {
        let fixture = RouterFixture()
        fixture.backend.advance(auctions: 40)
        let json = fixture.call("GET", "/v1/fairness")?.json ?? [:]
        let total = json["total"] as? [String: Any] ?? [:]
        #expect(total["awards"] as? Int ?? 0 > 0)
        let jain = total["jain"] as? Double ?? -1
        #expect(jain > 0 && jain <= 1)
        let rows = total["specialists"] as? [[String: Any]] ?? []
        #expect(rows.count == 4)
        let shareSum = rows.compactMap { $0["win_share"] as? Double }.reduce(0, +)
        #expect(abs(shareSum - 1) < 1e-9)
        #expect(Set((json["per_category"] as? [String: Any])?.keys.map { $0 } ?? []) == ["security", "performance", "network", "database"])
        #expect(json["window"] != nil && json["window_seconds"] as? Double == 300)
    }

    @Test func readinessFailsWithoutSpecialistsOrStore() {
        let fixture = RouterFixture()
        #expect(fixture.call("GET", "/readyz")?.status == .ok)
        for index in 0..<4 { fixture.backend.setConnected(false, specialist: index) }
        fixture.backend.storeOpen = false
        let response = fixture.call("GET", "/readyz")
        #expect(response?.status == .serviceUnavailable)
        #expect((response?.json["reasons"] as? [String])?.count == 2)
    }

    @Test func requestsAreCountedByRoutePatternNotByIncident() {
        let fixture = RouterFixture()
        _ = fixture.call("GET", "/v1/incidents/1")
        _ = fixture.call("GET", "/v1/incidents/2")
        let text = fixture.metrics.render()
        #expect(text.contains(#"tender_http_requests_total{route="/v1/incidents/{id}",code="404"} 2"#))
        #expect(!text.contains("/v1/incidents/1"))
    }
}

@Suite struct AcceptedResponseTests {
    /// The hand-written 202 body decodes to what JSONEncoder would have produced.
    @Test func acceptedBodyMatchesTheEncodedForm() throws {
        let incidents = [AcceptedIncident(id: 1, reference: "a \"quoted\"\nref"), AcceptedIncident(id: 2, reference: nil)]
        let body = APIRouter.acceptedResponse(incidents).body
        struct Wrapper: Decodable, Equatable { var incidents: [AcceptedIncident] }
        #expect(try APIJSON.decoder.decode(Wrapper.self, from: .init(body)) == Wrapper(incidents: incidents))
    }
}
