import Foundation
import Logging
import Testing
import TenderCore
@testable import TenderHTTP
@testable import TenderService
import TenderStore
import TenderUV

/// `POST /v1/incidents/{id}/cancel` through the router into a real `Coordinator` (in process, its
/// loop never run, the store's writer drained by hand): the same cancel path as the intake's
/// `cancel` op, so the incident concludes `cancelled` exactly once, in the store too.
@Suite struct APICancelTests {
    @Test func anOpenIncidentCancelledThroughTheAPIConcludesCancelledOnce() throws {
        let running = try InProcessCoordinator()
        let (store, coordinator) = (running.store, running.coordinator)
        defer { store.close() }
        var conclusions: [(UInt64, String)] = []
        coordinator.observeConclusions { conclusions.append(($0.incident.rawValue, $0.conclusion)) }
        // No specialist is connected: the incident waits, open, for a capable one.
        var accepted: IntakeReply?
        coordinator.submit(IncidentSubmission(category: .network, severity: .high, service: "api", region: "eu", entities: [.ip("203.0.113.7")])) { accepted = $0 }
        store.writer.drain()
        guard case .accepted(let id, _, _) = try #require(accepted) else { Issue.record("not accepted: \(String(describing: accepted))"); return }
        #expect(coordinator.engine.isOpen(id))

        let backend = try CoordinatorAPIBackend(coordinator: coordinator)
        let router = APIRouter(backend: backend, auth: BearerAuth(token: "s3cret"), metrics: MetricsRegistry(), events: EventHub(), assets: DashboardAssets(chartJSPath: "/nonexistent/chart.js"))
        /// The answer once the store's writer has run whatever the request queued.
        func call(_ target: String, body: String = "") -> HTTPResponse? {
            var answer: HTTPResponse?
            let request = HTTPRequest(method: "POST", target: target, headers: [("authorization", "Bearer s3cret")], body: Array(body.utf8))
            router.handle(request, responder: HTTPResponder { answer = $0 })
            store.writer.drain()
            return answer
        }

        let cancelled = try #require(call("/v1/incidents/\(id.rawValue)/cancel", body: #"{"reason":"false alarm"}"#))
        #expect(cancelled.status == .ok, "\(cancelled.bodyText)")
        #expect(cancelled.object["state"] as? String == "cancelled" && cancelled.object["actor"] as? String == "api")
        #expect(cancelled.object["execution"] == nil, "no plan was running")
        #expect(!coordinator.engine.isOpen(id))

        // A second cancel finds it concluded, in the store, and changes nothing.
        let again = try #require(call("/v1/incidents/INC-\(id.rawValue)/cancel"))
        #expect(again.status == .conflict, "\(again.bodyText)")
        #expect(again.object["state"] as? String == "cancelled")
        #expect(try #require(call("/v1/incidents/\(id.rawValue + 100)/cancel")).status == .notFound)

        #expect(conclusions.map(\.1) == ["cancelled"] && conclusions.first?.0 == id.rawValue)
        #expect(coordinator.stats.cancelled == 1 && coordinator.stats.concluded == 1)
        let status = try StoreReader(path: store.path).database.rows("SELECT status FROM incidents WHERE id = ?", [.integer(Int64(id.rawValue))]).first?.text(0)
        #expect(status == "cancelled")
        #expect(backend.timeline(of: id.rawValue)?.incident.state == .cancelled)
    }
}

extension HTTPResponse {
    var bodyText: String { String(decoding: body, as: UTF8.self) }
    var object: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:] }
}
