import ArgumentParser
import Dispatch
import Foundation
import Logging
import TenderHTTP
import TenderService
import TenderUV

/// `tender bench http`: requests/s of the HTTP API over keep-alive. Against the real coordinator by
/// default (POSTs through its intake, acknowledged once durable in a SQLite store; fairness from
/// its tally of real awards), or against the synthetic backend (the HTTP path alone: parsing,
/// routing, validation, JSON, ordering, writes).
struct BenchHTTP: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "http",
        abstract: "Requests/s of POST /v1/incidents and GET /v1/fairness over keep-alive connections.",
        discussion: """
        The server runs on its own loop thread, the client on another. --backend coordinator (the default): \
        a real coordinator with its SQLite store in the temporary directory and --specialists specialist \
        processes, which win a warm-up storm first; GET /v1/fairness is measured with them connected, then \
        they are stopped and POST /v1/incidents is measured (each incident durable before its 202; they \
        wait in the backlog rather than being auctioned on the same loop). --backend synthetic: a fake \
        backend that acknowledges at once.
        """
    )

    @Option(help: "Keep-alive client connections.")
    var connections = 32

    @Option(name: .customLong("pipeline"), help: "Requests in flight per connection (1 = no pipelining).")
    var pipeline = 4

    @Option(help: "Seconds of load per endpoint (after half a second of warm-up).")
    var duration = 3.0

    @Option(help: "coordinator (the real intake, store and reads) or synthetic (the HTTP path alone).")
    var backend = "coordinator"

    @Option(help: "With --backend coordinator: specialist processes that win the warm-up storm.")
    var specialists = 4

    @Option(name: .customLong("profiles"), help: "With --backend coordinator: directory of specialist profiles.")
    var profiles = "specialists"

    @Flag(help: "Print the figures as JSON.")
    var json = false

    @Option(help: "Instead of measuring, serve the synthetic backend on HOST:PORT until interrupted (for API fuzzing and dashboard demos).")
    var serve: String?

    @Option(name: .customLong("api-token-file"), help: "With --serve: writes (and, with --api-token-for-reads, reads) need this bearer token.")
    var apiTokenFile: String?

    @Flag(name: .customLong("api-token-for-reads"), help: "With --serve and --api-token-file: reads need the token too.")
    var apiTokenForReads = false

    struct Figures: Encodable {
        var endpoint: String
        var backend: String
        var requestsPerS: Double
        var responses: Int
        var non2xx: Int
        var connectionErrors: Int
        var connections: Int
        var pipelineDepth: Int
        var seconds: Double
        var goalRequestsPerS: Double

        enum CodingKeys: String, CodingKey {
            case endpoint, backend, responses, connections, seconds
            case requestsPerS = "requests_per_s", non2xx = "non_2xx", connectionErrors = "connection_errors"
            case pipelineDepth = "pipeline_depth", goalRequestsPerS = "goal_requests_per_s"
        }
    }

    func run() throws {
        guard connections >= 1, pipeline >= 1, duration > 0 else { throw ValidationError("--connections, --pipeline and --duration must be positive") }
        signal(SIGPIPE, SIG_IGN)
        if let serve {
            let parts = serve.split(separator: ":")
            guard parts.count == 2, let port = Int(parts[1]), (1...65535).contains(port) else { throw ValidationError("--serve takes HOST:PORT, e.g. 127.0.0.1:8089") }
            let auth = try apiTokenFile.map { try BearerAuth.loading(tokenFile: $0, protectReads: apiTokenForReads) } ?? BearerAuth(token: nil)
            let server = try BenchServer(host: String(parts[0]), port: port, auth: auth)
            printError("serving the synthetic backend at http://\(parts[0]):\(server.port)/ (Ctrl-C stops)")
            dispatchMain()
        }
        guard ["coordinator", "synthetic"].contains(backend) else { throw ValidationError("--backend is coordinator or synthetic, not \(backend)") }
        let body = #"{"category":"network","severity":"high","service":"api","region":"eu-west-1","entities":[{"type":"ip","value":"203.0.113.7"}]}"#
        let post = "POST /v1/incidents HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
        let get = "GET /v1/fairness HTTP/1.1\r\nHost: bench\r\n\r\n"
        var results: [Figures] = []
        func measure(_ endpoint: String, _ request: String, goal: Double, port: Int) throws {
            let generator = HTTPLoadGenerator(port: port, connections: connections, pipelineDepth: pipeline, request: Array(request.utf8))
            let result = try generator.run(seconds: duration)
            let ok = result.statuses.filter { (200..<300).contains($0.key) }.values.reduce(0, +)
            results.append(Figures(endpoint: endpoint, backend: backend, requestsPerS: (result.requestsPerSecond * 10).rounded() / 10, responses: result.responses,
                                   non2xx: result.responses - ok, connectionErrors: result.connectionErrors, connections: connections,
                                   pipelineDepth: pipeline, seconds: result.seconds, goalRequestsPerS: goal))
        }
        if backend == "synthetic" {
            let server = try BenchServer()
            defer { server.shutdown() }
            try measure("POST /v1/incidents", post, goal: 20_000, port: server.port)
            try measure("GET /v1/fairness", get, goal: 50_000, port: server.port)
        } else {
            LoggingSystem.bootstrap { name in
                var handler = StreamLogHandler.standardError(label: name)
                handler.logLevel = .warning
                return handler
            }
            let path = NSTemporaryDirectory() + "tender-bench-http-\(UUID().uuidString).db"
            defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
            var settings = CoordinatorHTTPServer.Settings()
            settings.storePath = path
            settings.executable = tenderExecutablePath()
            settings.profiles = profiles
            settings.specialists = max(1, specialists)
            let server = try CoordinatorHTTPServer(settings: settings, logger: Logger(label: "tender.bench"))
            defer { server.shutdown() }
            try measure("GET /v1/fairness", get, goal: 50_000, port: server.port)
            server.disconnectSpecialists()
            try measure("POST /v1/incidents", post, goal: 20_000, port: server.port)
        }
        if json {
            try JSONOutput.print(["results": results])
        } else {
            for figures in results {
                print("\(figures.endpoint): \(Int(figures.requestsPerS)) requests/s (goal \(Int(figures.goalRequestsPerS))), \(figures.non2xx) not 2xx, \(figures.connections) connections × \(figures.pipelineDepth) in flight")
            }
        }
    }
}

/// The API service with a synthetic backend on its own loop thread.
private final class BenchServer: @unchecked Sendable {
    let port: Int
    private let stop: LoopWakeup
    private let finished = DispatchSemaphore(value: 0)

    init(host: String = "127.0.0.1", port: Int = 0, auth: BearerAuth = BearerAuth(token: nil)) throws {
        let ready = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var made: (Int, LoopWakeup)?
        nonisolated(unsafe) var failure: Error?
        let finished = self.finished
        let thread = Thread {
            do {
                let loop = try EventLoop()
                let backend = SyntheticBackend(specialists: 8, seed: 1, now: { Date().timeIntervalSince1970 })
                backend.advance(auctions: 200)
                var limits = HTTPLimits()
                limits.maxConnections = 4096
                let service = try APIService(loop: loop, host: host, port: port, backend: backend, auth: auth, limits: limits)
                let stop = try LoopWakeup(loop: loop) {
                    service.close()
                    loop.stop()
                }
                made = (service.port, stop)
                ready.signal()
                loop.run()
                stop.close()
                loop.close()
            } catch {
                failure = error
                ready.signal()
            }
            finished.signal()
        }
        thread.start()
        ready.wait()
        if let failure { throw failure }
        (self.port, self.stop) = made!
    }

    func shutdown() {
        stop.wake()
        finished.wait()
    }
}
