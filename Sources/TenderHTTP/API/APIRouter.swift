import TenderCore
import TenderUV
import Foundation

/// Routes every request of the HTTP server: the `/v1` API against an `APIBackend`, health
/// probes, `/metrics`, `/events` and the dashboard.
///
/// Answers 404 for an unknown path, 405 (with `Allow`) for a known path and the wrong method,
/// 401 when a token is needed and missing or wrong, 400 with a message per field for bad input.
public final class APIRouter: HTTPHandler {
    /// A route's fixed name (its pattern), the label of its metrics.
    typealias Route = String

    let backend: APIBackend
    let auth: BearerAuth
    let events: EventHub
    let history: DashboardHistory
    let assets: DashboardAssets
    let metrics: MetricsRegistry
    private var requestCounters: [String: Counter] = [:]
    private var fairnessCache: (snapshot: AllocationSnapshot, response: HTTPResponse)?
    /// Recent answers to the polled list reads (see `ReadCache`); a quarter second by default.
    var readCache = ReadCache(maxAge: 0.25)
    /// Monotonic seconds, for the read cache's ages (tests pass a manual clock).
    var clock: () -> Double = { EventLoop.monotonicSeconds() }
    /// Seconds a list read's answer may be reused for another client; 0 turns reuse off.
    public var readCacheSeconds: Double {
        get { readCache.maxAge }
        set { readCache.maxAge = newValue }
    }
    /// Incidents one POST may carry.
    public var maxBatch = 1000
    /// The bounds on one incident: the coordinator's own (`IncidentLimits`), checked again by it.
    public var incidentLimits = IncidentLimits.standard

    public init(backend: APIBackend, auth: BearerAuth = BearerAuth(token: nil), metrics: MetricsRegistry, events: EventHub, history: DashboardHistory = DashboardHistory(), assets: DashboardAssets = DashboardAssets()) {
        self.backend = backend
        self.auth = auth
        self.metrics = metrics
        self.events = events
        self.history = history
        self.assets = assets
    }

    public func handle(_ request: HTTPRequest, responder: HTTPResponder) {
        let (route, methods) = Self.match(request.path)
        let method = request.method == "HEAD" ? "GET" : request.method
        guard let route else {
            finish("unmatched", APIJSON.error(.notFound, "no such resource: \(request.path)"), responder)
            return
        }
        guard methods.contains(method) else {
            finish(route, APIJSON.error(.methodNotAllowed, "\(request.method) is not allowed on \(route); allowed: \(methods.joined(separator: ", "))", headers: [("Allow", methods.joined(separator: ", "))]), responder)
            return
        }
        guard auth.allows(request, isWrite: method != "GET") || Self.isPublic(route) else {
            finish(route, APIJSON.error(.unauthorized, "this request needs `Authorization: Bearer <token>` with the API token", headers: [("WWW-Authenticate", "Bearer realm=\"tender\"")]), responder)
            return
        }
        if method == "GET", Self.isCachedRead(route), let cached = readCache.lookup(request.target, now: clock()) {
            finish(route, cached, responder)
            return
        }
        dispatch(route, method, request) { [weak self] response in
            guard let self else { return }
            if method != "GET" {
                // Written (or refused): nothing read before this answer may be served after it.
                readCache.invalidate()
            } else if Self.isCachedRead(route), response.status == .ok {
                readCache.store(response, for: request.target, now: clock())
            }
            finish(route, response, responder)
        }
    }

    /// Probes and the dashboard's static files need no token: they hold no incident data.
    private static func isPublic(_ route: Route) -> Bool {
        ["/healthz", "/readyz", "/", "/assets/chart.js", "/assets/tender-charts.js"].contains(route)
    }

    /// The list reads dashboards poll, whose answers come from store queries.
    private static func isCachedRead(_ route: Route) -> Bool {
        ["/v1/incidents", "/v1/auctions", "/v1/executions", "/v1/approvals"].contains(route)
    }

    /// The route pattern a path belongs to, and the methods it takes.
    static func match(_ path: String) -> (Route?, [String]) {
        switch path {
        case "/", "/index.html": return ("/", ["GET"])
        case "/assets/chart.js": return ("/assets/chart.js", ["GET"])
        case "/assets/tender-charts.js": return ("/assets/tender-charts.js", ["GET"])
        case "/healthz": return ("/healthz", ["GET"])
        case "/readyz": return ("/readyz", ["GET"])
        case "/metrics": return ("/metrics", ["GET"])
        case "/events": return ("/events", ["GET"])
        case "/v1/incidents": return ("/v1/incidents", ["GET", "POST"])
        case "/v1/specialists": return ("/v1/specialists", ["GET"])
        case "/v1/fairness": return ("/v1/fairness", ["GET"])
        case "/v1/history": return ("/v1/history", ["GET"])
        case "/v1/auctions": return ("/v1/auctions", ["GET"])
        case "/v1/executions": return ("/v1/executions", ["GET"])
        case "/v1/approvals": return ("/v1/approvals", ["GET"])
        default: break
        }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count == 4, parts[1] == "v1", parts[2] == "incidents", !parts[3].isEmpty { return ("/v1/incidents/{id}", ["GET"]) }
        if parts.count == 5, parts[1] == "v1", parts[2] == "incidents", !parts[3].isEmpty, parts[4] == "cancel" {
            return ("/v1/incidents/{id}/cancel", ["POST"])
        }
        if parts.count == 5, parts[1] == "v1", parts[2] == "approvals", !parts[3].isEmpty, parts[4] == "approve" || parts[4] == "deny" {
            return ("/v1/approvals/{id}/\(parts[4])", ["POST"])
        }
        return (nil, [])
    }

    private func dispatch(_ route: Route, _ method: String, _ request: HTTPRequest, _ done: @escaping (HTTPResponse) -> Void) {
        switch (route, method) {
        case ("/", _): done(HTTPResponse(status: .ok, headers: [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store")], body: assets.page))
        case ("/assets/chart.js", _): done(assets.chartJSResponse)
        case ("/assets/tender-charts.js", _): done(HTTPResponse(status: .ok, headers: [("Content-Type", "text/javascript; charset=utf-8"), ("Cache-Control", "max-age=3600")], body: Array(ChartScripts.library.utf8)))
        case ("/healthz", _): done(HTTPResponse(status: .ok, contentType: "application/json", body: Array("{\"status\":\"ok\"}".utf8)))
        case ("/readyz", _):
            let readiness = backend.readiness()
            done(APIJSON.response(readiness.ready ? .ok : .serviceUnavailable, readiness))
        case ("/metrics", _): done(HTTPResponse(status: .ok, contentType: "text/plain; version=0.0.4; charset=utf-8", body: Array(metrics.render().utf8)))
        case ("/events", _): done(.eventStream { [weak self] sink in self?.events.attach(sink) })
        case ("/v1/incidents", "POST"): submit(request, done)
        case ("/v1/incidents", _): done(listIncidents(request))
        case ("/v1/incidents/{id}", _): done(timeline(request))
        case ("/v1/incidents/{id}/cancel", _): cancel(request, done)
        case ("/v1/specialists", _): done(APIJSON.response(.ok, ["specialists": backend.specialists()]))
        case ("/v1/fairness", _): done(fairnessResponse())
        case ("/v1/history", _): done(APIJSON.response(.ok, ["samples": history.samples]))
        case ("/v1/auctions", _):
            switch limit(request, default: 20, max: 200) {
            case .success(let limit): done(APIJSON.response(.ok, ["auctions": backend.recentAuctions(limit: limit)]))
            case .failure(let errors): done(APIJSON.error(.badRequest, "invalid query", fields: errors))
            }
        case ("/v1/executions", _):
            switch limit(request, default: 20, max: 200) {
            case .success(let limit): done(APIJSON.response(.ok, ["executions": backend.recentExecutions(limit: limit)]))
            case .failure(let errors): done(APIJSON.error(.badRequest, "invalid query", fields: errors))
            }
        case ("/v1/approvals", _): done(APIJSON.response(.ok, ["approvals": backend.approvals()]))
        default: decide(route, request, done)
        }
    }

    /// The report is recomputed and re-encoded only when the award counts changed: dashboards
    /// poll it, and between two awards every poll would encode the same bytes.
    private func fairnessResponse() -> HTTPResponse {
        let snapshot = backend.allocation()
        if let cached = fairnessCache, cached.snapshot == snapshot { return cached.response }
        let response = APIJSON.response(.ok, FairnessReport(snapshot))
        fairnessCache = (snapshot, response)
        return response
    }

    private func finish(_ route: Route, _ response: HTTPResponse, _ responder: HTTPResponder) {
        let key = "\(route) \(response.status.code)"
        let counter: Counter
        if let existing = requestCounters[key] {
            counter = existing
        } else {
            counter = metrics.counter("tender_http_requests_total", help: "HTTP requests answered, by route pattern and status code.", labels: [("route", route), ("code", String(response.status.code))])
            requestCounters[key] = counter
        }
        counter.increment()
        responder.respond(response)
    }
}
