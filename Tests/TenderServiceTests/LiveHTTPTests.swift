import BrowserSupport
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TenderStore

/// `tender up --http` as an operator and an integrating system use it: a real HTTP client posts
/// incidents and reads the live state back, headless Chromium renders the live dashboard, and an
/// approval clicked on the dashboard is recorded in the store with who and why.
@Suite(.serialized) struct LiveHTTPTests {
    static let token = "live-test-token-0123456789"

    struct Up {
        let process: LiveProcess
        let base: String
        let db: String
    }

    /// `up` with four specialists, a slow Poisson storm long enough to outlast the test, and a
    /// bearer token for writes. `approvalRisk` low makes steps wait for a person (and, unanswered,
    /// fill the specialists: only the approval test wants that).
    static func up(_ name: String, approvalRisk: String = "none") throws -> Up {
        let db = NSTemporaryDirectory() + "tender-http-\(UUID().uuidString).db"
        let tokenFile = NSTemporaryDirectory() + "tender-token-\(UUID().uuidString)"
        try (token + "\n").write(toFile: tokenFile, atomically: true, encoding: .utf8)
        let process = try LiveProcess(name, [
            "up", "--poisson", "--rate", "0.005", "--duration", "100000", "--time-scale", "0.01",
            "--listen", "127.0.0.1:0", "--intake", "127.0.0.1:0", "--http", "127.0.0.1:0", "--db", db,
            "--api-token-file", tokenFile, "--approval-risk", approvalRisk,
            "--count", "security=1", "--count", "network=1", "--count", "database=1", "--count", "performance=1",
        ])
        guard let url = process.waitForEvent("http")?["url"] as? String else { throw LiveTestError("no http line: \(process.stderr)") }
        return Up(process: process, base: String(url.dropLast()), db: db)
    }

    /// One request with a real client; the status and the decoded JSON body.
    static func call(_ method: String, _ url: String, body: String? = nil, token: String? = nil) async throws -> (Int, Any?) {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, try? JSONSerialization.jsonObject(with: data))
    }

    /// Poll a condition on the live system (never a fixed sleep), up to 60 s.
    static func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if try await condition() { return true }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        return false
    }

    @Test func anIncidentPostedOverHTTPIsDurableAuctionedAndReadBack() async throws {
        let up = try Self.up("http-api")
        defer { up.process.stop() }
        #expect(try await Self.eventually { try await Self.call("GET", up.base + "/readyz").0 == 200 }, "never ready: \(up.process.stderr)")
        // Ready means one specialist is connected; this test wants the whole pool.
        #expect(try await Self.eventually {
            let (_, list) = try await Self.call("GET", up.base + "/v1/specialists")
            return ((list as? [String: Any])?["specialists"] as? [[String: Any]])?.filter { $0["connected"] as? Bool == true }.count == 4
        }, "the pool never connected: \(up.process.stderr)")

        // Writes need the token; bad input gets a 400 naming each field; good input a 202 with its id.
        let incident = #"{"category":"security","severity":"high","service":"api","region":"eu-west-1","entities":[{"type":"ip","value":"203.0.113.7"},{"type":"user","value":"alice"},{"type":"host","value":"web-1"}],"ref":"http-live-1"}"#
        #expect(try await Self.call("POST", up.base + "/v1/incidents", body: incident).0 == 401)
        let (badStatus, badBody) = try await Self.call("POST", up.base + "/v1/incidents", body: #"{"category":"securty","severity":"urgent"}"#, token: Self.token)
        #expect(badStatus == 400)
        let fields = ((badBody as? [String: Any])?["fields"] as? [[String: Any]])?.compactMap { $0["field"] as? String } ?? []
        #expect(fields == ["category"], "\(String(describing: badBody))")
        // The coordinator's own bounds (IncidentLimits): a ref over 128 bytes is refused, by name.
        let longRef = #"{"category":"network","ref":"\#(String(repeating: "r", count: 200))"}"#
        let (tooLong, tooLongBody) = try await Self.call("POST", up.base + "/v1/incidents", body: longRef, token: Self.token)
        #expect(tooLong == 400)
        #expect(((tooLongBody as? [String: Any])?["fields"] as? [[String: Any]])?.first?["field"] as? String == "ref")
        let (status, body) = try await Self.call("POST", up.base + "/v1/incidents", body: incident, token: Self.token)
        #expect(status == 202, "\(String(describing: body))")
        let id = (((body as? [String: Any])?["incidents"] as? [[String: Any]])?.first?["id"] as? NSNumber)?.uint64Value ?? 0
        #expect(id > 0)
        // The same ref again is the same incident: intake's idempotency, not a second one.
        let (_, again) = try await Self.call("POST", up.base + "/v1/incidents", body: incident, token: Self.token)
        #expect((((again as? [String: Any])?["incidents"] as? [[String: Any]])?.first?["id"] as? NSNumber)?.uint64Value == id)

        // Durable in the store the moment it was acknowledged.
        #expect(try StoreInspection.statuses(up.db)[Int64(id)] != nil)
        // Its timeline, read back: received, then announced to specialists and awarded.
        #expect(try await Self.eventually {
            let (code, timeline) = try await Self.call("GET", up.base + "/v1/incidents/\(id)")
            let kinds = ((timeline as? [String: Any])?["events"] as? [[String: Any]])?.compactMap { $0["kind"] as? String } ?? []
            return code == 200 && kinds.contains("received") && kinds.contains("awarded")
        }, "incident \(id) never awarded")
        let (listed, page) = try await Self.call("GET", up.base + "/v1/incidents?category=security&limit=500")
        #expect(listed == 200)
        let ids = ((page as? [String: Any])?["incidents"] as? [[String: Any]])?.compactMap { ($0["id"] as? NSNumber)?.uint64Value } ?? []
        #expect(ids.contains(id))

        // Specialists with live load and capacity; fairness over the awards made so far.
        let (_, specialists) = try await Self.call("GET", up.base + "/v1/specialists")
        let rows = (specialists as? [String: Any])?["specialists"] as? [[String: Any]] ?? []
        #expect(Set(rows.compactMap { $0["name"] as? String }) == ["security-1", "network-1", "database-1", "performance-1"])
        #expect(rows.allSatisfy { ($0["capacity"] as? Int ?? 0) > 0 && $0["connected"] as? Bool == true })
        #expect(rows.reduce(0) { $0 + ($1["wins"] as? Int ?? 0) } > 0)
        let (_, fairness) = try await Self.call("GET", up.base + "/v1/fairness")
        let total = (fairness as? [String: Any])?["total"] as? [String: Any]
        #expect((total?["awards"] as? Int ?? 0) > 0)
        #expect((total?["jain"] as? Double).map { $0 > 0 && $0 <= 1 } == true, "\(String(describing: fairness))")

        // Metrics fed by the coordinator.
        var metricsRequest = URLRequest(url: URL(string: up.base + "/metrics")!)
        metricsRequest.httpMethod = "GET"
        let (metrics, _) = try await URLSession.shared.data(for: metricsRequest)
        let text = String(decoding: metrics, as: UTF8.self)
        #expect(text.contains("tender_specialists_connected 4"))
        #expect(text.contains("tender_cfp_to_award_seconds_count "))
        #expect(!text.contains("tender_incidents_received_total 0\n"))
    }

    @Test(.enabled(if: HeadlessChromium.isInstalled, "skipped: /usr/bin/chromium is missing; install Debian's chromium (make deps does)"))
    func theLiveDashboardShowsFairnessAndEverySpecialistAndAClickedApprovalIsRecorded() async throws {
        let up = try Self.up("http-dashboard", approvalRisk: "low")
        defer { up.process.stop() }
        #expect(try await Self.eventually {
            let (_, list) = try await Self.call("GET", up.base + "/v1/approvals")
            return ((list as? [String: Any])?["approvals"] as? [[String: Any]])?.contains { $0["state"] as? String == "pending" } == true
        }, "no approval ever waited: \(up.process.stderr)")

        // The page as an operator opens it: the token typed into its box, the queue rendered.
        let page = try BrowserPage(url: up.base + "/?live=0")
        defer { page.close() }
        #expect(try page.waitUntil("document.querySelector('button[data-approve]') && /^[0-9.]+$/.test(document.getElementById('fair-jain').textContent)"),
                "the dashboard never showed an approve button and a Jain figure")
        // Typed once the page has drawn its tables, so the box no longer moves under the pointer.
        try page.type(Self.token, into: "#token")
        #expect(try page.evaluate("document.getElementById('token').value") as? String == Self.token, "the token did not reach its box")
        let dom = try page.html()
        let jain = dom.firstMatch(of: #/id="fair-jain">([0-9.]+)</#).flatMap { Double($0.1) }
        #expect(jain.map { $0 > 0 && $0 <= 1 } == true, "no Jain figure in the live DOM")
        #expect(dom.firstMatch(of: #/id="fair-gini">[0-9.]+</#) != nil)
        for name in ["security-1", "network-1", "database-1", "performance-1"] {
            #expect(dom.contains("<tr class=\"specialist-row\" data-name=\"\(name)\""), "no row for \(name)")
        }

        // Click approve on a pending approval, with the mouse, where the button is drawn.
        let id = try page.evaluate("document.querySelector('button[data-approve]').dataset.approve") as? String ?? ""
        #expect(!id.isEmpty)
        try page.click("button[data-approve=\"\(id)\"]")
        // The page refreshes after its POST: the decided approval leaves the queue, no error noted.
        #expect(try page.waitUntil("!document.querySelector('button[data-approve=\"\(id)\"]') && document.getElementById('note').textContent === ''"),
                "approval \(id) never showed as approved: \(String(describing: try? page.evaluate("document.getElementById('note').textContent")))")

        // The store recorded the click's decision, with who and why.
        let row = try StoreReader(path: up.db).approval(id: Int64(id) ?? 0)
        #expect(row?.decision == "approved")
        #expect(row?.decidedBy == "dashboard")
        let audit = try StoreReader(path: up.db).timeline(incident: row?.incident ?? 0)?.audit ?? []
        #expect(audit.contains { $0.what.hasPrefix("approved approval \(id)") })
        // A second decision is refused: the first one stands.
        #expect(try await Self.call("POST", up.base + "/v1/approvals/\(id)/deny", token: Self.token).0 == 409)
    }
}
