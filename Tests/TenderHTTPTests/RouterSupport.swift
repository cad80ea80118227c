import Foundation
@testable import TenderHTTP

/// A router over a synthetic backend, called without sockets.
struct RouterFixture {
    let backend: SyntheticBackend
    let router: APIRouter
    let metrics = MetricsRegistry()

    init(auth: BearerAuth = BearerAuth(token: nil), backend: SyntheticBackend = SyntheticBackend(specialists: 4, seed: 7)) {
        self.backend = backend
        router = APIRouter(backend: backend, auth: auth, metrics: metrics, events: EventHub(), assets: DashboardAssets(chartJSPath: "/nonexistent/chart.js"))
    }

    /// The response, or nil while the handler has not answered (a held acknowledgement).
    func call(_ method: String, _ target: String, body: String = "", headers: [(String, String)] = []) -> HTTPResponse? {
        var answer: HTTPResponse?
        let request = HTTPRequest(method: method, target: target, headers: headers.map { ($0.0.lowercased(), $0.1) }, body: Array(body.utf8))
        router.handle(request, responder: HTTPResponder { answer = $0 })
        return answer
    }
}

extension HTTPResponse {
    var text: String { String(decoding: body, as: UTF8.self) }
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:] }
    func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name.lowercased() }?.value }
    /// The `field` of each per-field error.
    var errorFields: [String] { (json["fields"] as? [[String: Any]])?.compactMap { $0["field"] as? String } ?? [] }
}
