import Foundation
import TenderUV

/// Everything HTTP on one loop, assembled: the server, the `/v1` router, the event hub, the
/// fairness history sampler and the HTTP server's own metrics. The coordinator (or the benchmark)
/// makes one of these with its `APIBackend` and publishes events through `events`.
public final class APIService {
    public let server: HTTPServer
    public let router: APIRouter
    public let events: EventHub
    public let history: DashboardHistory
    public let metrics: MetricsRegistry
    private let sampler: LoopTimer?

    /// - Parameters:
    ///   - metrics: the registry `/metrics` renders; the coordinator registers its own series in it.
    ///   - sampleMilliseconds: how often the fairness history is sampled and published as a
    ///     `fairness` event; 0 turns the sampler off (tests sample by hand).
    ///   - clock: Unix seconds for the samples' timestamps.
    public init(
        loop: EventLoop, host: String, port: Int, backend: APIBackend,
        auth: BearerAuth = BearerAuth(token: nil), limits: HTTPLimits = HTTPLimits(),
        metrics: MetricsRegistry = MetricsRegistry(), assets: DashboardAssets = DashboardAssets(),
        sampleMilliseconds: UInt64 = 1000, clock: @escaping () -> Double = { Date().timeIntervalSince1970 }
    ) throws(UVError) {
        self.metrics = metrics
        events = EventHub(loop: loop)
        history = DashboardHistory()
        router = APIRouter(backend: backend, auth: auth, metrics: metrics, events: events, history: history, assets: assets)
        server = try HTTPServer(loop: loop, host: host, port: port, limits: limits, handler: router)
        if sampleMilliseconds > 0 {
            let timer = try LoopTimer(loop: loop)
            timer.unref()
            sampler = timer
        } else {
            sampler = nil
        }
        let server = server, events = events, history = history
        metrics.gauge("tender_http_connections", help: "HTTP client connections open now.") { Double(server.openConnections) }
        metrics.counter("tender_http_connections_refused_total", help: "HTTP connections refused at the connection cap.") { Double(server.refusedConnections) }
        metrics.counter("tender_http_connections_timed_out_total", help: "HTTP connections closed for being too slow or idle.") { Double(server.timedOutConnections) }
        metrics.gauge("tender_events_clients", help: "Clients reading /events now.") { Double(events.clientCount) }
        metrics.counter("tender_events_slow_clients_dropped_total", help: "/events clients dropped for falling behind.") { Double(events.droppedSlowClients) }
        sampler?.start(afterMilliseconds: sampleMilliseconds, repeatMilliseconds: sampleMilliseconds) { [weak backend] in
            guard let backend else { return }
            events.publish("fairness", history.record(at: clock(), from: backend))
        }
    }

    public var port: Int { server.port }

    public func close() {
        sampler?.close()
        events.close()
        server.close()
    }
}
