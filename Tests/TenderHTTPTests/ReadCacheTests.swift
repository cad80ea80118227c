import Foundation
import Testing
import TenderCore
@testable import TenderHTTP

/// The polled list reads are reused for a quarter second (on the router's clock) and never
/// across a write made through the API.
@Suite struct ReadCacheTests {
    func listed(_ fixture: RouterFixture) -> Int {
        (fixture.call("GET", "/v1/incidents?limit=500")?.json["incidents"] as? [[String: Any]])?.count ?? -1
    }

    @Test func listReadsAreReusedBrieflyAndNeverAcrossAnAPIWrite() {
        let fixture = RouterFixture()
        nonisolated(unsafe) var now = 100.0
        fixture.router.clock = { now }
        let first = listed(fixture)
        #expect(first >= 0)
        // An incident arriving another way (the TCP intake): not seen until the answer ages out.
        fixture.backend.submit([IncidentSubmission(category: .network, severity: .low, service: "api", region: "eu", entities: [])]) { _ in }
        #expect(listed(fixture) == first)
        now += 0.24
        #expect(listed(fixture) == first)
        now += 0.02
        #expect(listed(fixture) == first + 1)
        // A write through the API empties the cache at once: a client reads its own writes.
        let posted = fixture.call("POST", "/v1/incidents", body: #"{"category":"database","severity":"low","service":"db"}"#, headers: [("Content-Type", "application/json")])
        #expect(posted?.status == .accepted)
        #expect(listed(fixture) == first + 2)
        // Another query is another answer; with reuse off every read is fresh.
        fixture.backend.submit([IncidentSubmission(category: .network, severity: .low, service: "api", region: "eu", entities: [])]) { _ in }
        #expect((fixture.call("GET", "/v1/incidents?limit=499")?.json["incidents"] as? [[String: Any]])?.count == first + 3)
        fixture.router.readCacheSeconds = 0
        #expect(listed(fixture) == first + 3)
    }

    @Test func theCacheHoldsABoundedNumberOfTargets() {
        var cache = ReadCache(maxAge: 1)
        cache.capacity = 2
        let answer = HTTPResponse(status: .ok, contentType: "text/plain", body: [])
        cache.store(answer, for: "/a", now: 0)
        cache.store(answer, for: "/b", now: 0)
        #expect(cache.lookup("/a", now: 0.5) != nil)
        cache.store(answer, for: "/c", now: 0.5)
        #expect(cache.lookup("/a", now: 0.5) == nil)
        #expect(cache.lookup("/c", now: 0.5) != nil)
        #expect(cache.lookup("/c", now: 1.5) == nil)
    }
}
