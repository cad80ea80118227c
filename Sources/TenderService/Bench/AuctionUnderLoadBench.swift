import Foundation
import Logging
import TenderCore
import TenderHTTP
import TenderUV

/// `tender bench auction-under-load`: does HTTP polling starve the auction loop? A real
/// coordinator (store, HTTP API, specialist processes over loopback TCP) takes a steady storm
/// while CFP→award latency is measured twice per round: idle, and while `HTTPPoller` issues the
/// dashboard's polling requests at a fixed rate over keep-alive from a thread of its own.
public final class AuctionUnderLoadBench {
    public struct Settings: Sendable {
        public var specialists = 4
        public var capacity = 64
        public var profiles = "specialists"
        /// Storm incidents per second, submitted open loop through the coordinator's intake.
        public var stormRate = 300.0
        /// Dashboard GET requests per second while polling.
        public var pollRate = 1000.0
        public var pollConnections = 8
        public var pollPaths = ["/v1/fairness", "/v1/specialists", "/v1/incidents?limit=50"]
        /// Seconds measured per phase, after `warmup` seconds not counted.
        public var phaseSeconds = 5.0
        public var warmup = 1.0
        /// Idle/polling pairs; more rounds interleave the phases so drift (a growing store) hits both.
        public var rounds = 1
        /// How long the API reuses a list read's answer (`APIRouter.readCacheSeconds`); 0 shows
        /// what polling costs without it.
        public var readCacheSeconds = 0.25
        /// The store's path (a SQLite file, or a shared in-memory URI).
        public var storePath = ""
        public init() {}
    }

    /// One phase's figures, as `--json` prints them.
    public struct Phase: Sendable, Codable {
        public var awards: Int
        public var cfpToAwardUs: Latency
        public var poll: Poll?
        enum CodingKeys: String, CodingKey { case awards, poll; case cfpToAwardUs = "cfp_to_award_us" }
    }

    public struct Latency: Sendable, Codable {
        public var p50: Double, p90: Double, p99: Double, p999: Double, max: Double
        init(_ histogram: LatencyHistogram) {
            func at(_ percentile: Double) -> Double { histogram.totalCount == 0 ? 0 : Double(histogram.valueAtPercentile(percentile)) }
            (p50, p90, p99, p999, max) = (at(50), at(90), at(99), at(99.9), histogram.totalCount == 0 ? 0 : Double(histogram.max))
        }
    }

    /// What the polling client achieved.
    public struct Poll: Sendable, Codable {
        public var targetPerS: Double
        public var achievedPerS: Double
        public var responses: Int
        public var non2xx: Int
        public var connectionErrors: Int
        public var connections: Int
        public var paths: [String]
        public var latencyP50Us: Double, latencyP99Us: Double, latencyMaxUs: Double
        enum CodingKeys: String, CodingKey {
            case responses, connections, paths
            case targetPerS = "target_per_s", achievedPerS = "achieved_per_s", non2xx = "non_2xx", connectionErrors = "connection_errors"
            case latencyP50Us = "latency_p50_us", latencyP99Us = "latency_p99_us", latencyMaxUs = "latency_max_us"
        }
    }

    public struct Result: Sendable, Codable {
        public var specialists: Int
        public var stormRatePerS: Double
        public var phaseSeconds: Double
        public var rounds: Int
        public var store: String
        public var readCacheMs: Double
        public var idle: Phase
        public var polling: Phase
        /// polling p99 ÷ idle p99.
        public var p99Ratio: Double
        public var escalated: Int
        public var overloaded: Int
        enum CodingKeys: String, CodingKey {
            case specialists, rounds, store, idle, polling, escalated, overloaded
            case stormRatePerS = "storm_rate_per_s", phaseSeconds = "phase_s", p99Ratio = "p99_ratio", readCacheMs = "read_cache_ms"
        }
    }

    public struct BenchError: Error, CustomStringConvertible { public let description: String }

    private enum Step { case idle, polling }

    private let loop: EventLoop
    private let settings: Settings
    private let logger: Logger
    private let coordinator: Coordinator
    private let store: CoordinatorStore
    private let service: APIService
    private let pool: SpecialistPool
    private var stormTimer: LoopTimer?
    private var phaseTimer: LoopTimer?
    private var stormStarted = 0.0
    private var stormSent = 0
    private var plan: [Step] = []
    private var histograms: [Step: LatencyHistogram] = [:]
    private var awards: [Step: Int] = [:]
    private var awardsAtPhaseStart = 0
    private var polls: [HTTPPoller.Result] = []
    private var poller: HTTPPoller?
    private var finished: ((Swift.Result<Result, BenchError>) -> Void)?
    private let submissions: [IncidentSubmission] = IncidentCategory.allCases.map { category in
        IncidentSubmission(category: category, severity: .high, service: "bench", region: "local", entities: [
            .ip("192.0.2.1"), .host("bench-host"), .service("bench"), .user("bench"), .query("bench"),
        ])
    }

    public init(loop: EventLoop, executable: String, settings: Settings, logger: Logger) throws {
        self.loop = loop
        self.settings = settings
        self.logger = logger
        var config = CoordinatorConfig()
        config.specialistPort = 0
        config.maxOpenIncidents = 1_000_000
        store = try CoordinatorStore(path: settings.storePath, loop: loop)
        coordinator = try Coordinator(config: config, loop: loop, store: store, key: .development, logger: logger)
        try coordinator.start()
        // The API exactly as `--http` serves it, on the coordinator's loop.
        let backend = try CoordinatorAPIBackend(coordinator: coordinator)
        service = try APIService(loop: loop, host: "127.0.0.1", port: 0, backend: backend)
        backend.attach(to: service)
        service.router.incidentLimits = config.incidentLimits
        service.router.readCacheSeconds = settings.readCacheSeconds
        let kinds = SpecialistKind.allCases.map(\.rawValue)
        let port = coordinator.specialistPort, profiles = settings.profiles, capacity = settings.capacity
        pool = SpecialistPool(loop: loop, executable: executable, members: (0..<settings.specialists).map { index in
            let kind = kinds[index % kinds.count]
            return SpecialistPool.Member(name: "bench-\(index)", arguments: [
                "specialist", "--profile", "\(profiles)/\(kind).yaml", "--name", "bench-\(kind)-\(index)",
                "--time-scale", "0", "--failure-scale", "0", "--capacity", "\(capacity)",
                "--coordinator", "127.0.0.1:\(port)", "--log-level", "warning", "--seed", "\(index + 1)",
            ])
        }, output: .ignore, logger: logger)
    }

    public var httpPort: Int { service.port }

    /// Start the pool, wait for every specialist, run the phases, and report.
    public func run(_ completion: @escaping (Swift.Result<Result, BenchError>) -> Void) {
        finished = completion
        plan = Array(repeating: [Step.idle, .polling], count: max(1, settings.rounds)).flatMap { $0 }
        coordinator.onPoolChanged = { [unowned self] connected in
            if connected == settings.specialists, stormTimer == nil { startStorm() }
        }
        pool.start()
        phaseTimer = try? LoopTimer(loop: loop)
        phaseTimer?.start(afterMilliseconds: 120_000) { [unowned self] in
            fail("only \(coordinator.connectedSpecialists) of \(settings.specialists) specialists connected within 120 s")
        }
    }

    private func startStorm() {
        phaseTimer?.stop()
        guard let timer = try? LoopTimer(loop: loop) else { return fail("cannot start the storm timer") }
        stormTimer = timer
        stormStarted = EventLoop.monotonicSeconds()
        timer.start(afterMilliseconds: 1, repeatMilliseconds: 1) { [unowned self] in
            let due = Int((EventLoop.monotonicSeconds() - stormStarted) * settings.stormRate)
            while stormSent < due {
                coordinator.submit(submissions[stormSent & 3]) { _ in }
                stormSent += 1
            }
        }
        nextPhase()
    }

    /// Warm up (storm running, polling started if this phase polls), then measure.
    private func nextPhase() {
        guard let step = plan.first else { return report() }
        if step == .polling {
            let poller = HTTPPoller(port: service.port, paths: settings.pollPaths, rate: settings.pollRate, connections: settings.pollConnections)
            do { try poller.start() } catch { return fail("cannot start the poller: \(error)") }
            self.poller = poller
        }
        phaseTimer?.start(afterMilliseconds: UInt64(settings.warmup * 1000)) { [unowned self] in
            coordinator.stats.cfpToAward.reset()
            awardsAtPhaseStart = coordinator.stats.awards
            phaseTimer?.start(afterMilliseconds: UInt64(settings.phaseSeconds * 1000)) { [unowned self] in endPhase(step) }
        }
    }

    private func endPhase(_ step: Step) {
        // Snapshot before stopping the poller: its shutdown is not part of the measurement.
        var histogram = histograms[step] ?? .microseconds()
        histogram.add(coordinator.stats.cfpToAward)
        histograms[step] = histogram
        awards[step, default: 0] += coordinator.stats.awards - awardsAtPhaseStart
        if let poller {
            polls.append(poller.stop())
            self.poller = nil
        }
        plan.removeFirst()
        nextPhase()
    }

    private func report() {
        stormTimer?.close()
        let empty = LatencyHistogram.microseconds()
        let idle = Phase(awards: awards[.idle] ?? 0, cfpToAwardUs: Latency(histograms[.idle] ?? empty))
        var polling = Phase(awards: awards[.polling] ?? 0, cfpToAwardUs: Latency(histograms[.polling] ?? empty))
        let responses = polls.reduce(0) { $0 + $1.responses }
        let seconds = polls.reduce(0) { $0 + $1.seconds }
        let ok = polls.reduce(0) { $0 + $1.statuses.filter { (200..<300).contains($0.key) }.values.reduce(0, +) }
        polling.poll = Poll(targetPerS: settings.pollRate, achievedPerS: seconds > 0 ? (Double(responses) / seconds).rounded() : 0,
                            responses: responses, non2xx: responses - ok, connectionErrors: polls.reduce(0) { $0 + $1.connectionErrors },
                            connections: settings.pollConnections, paths: settings.pollPaths,
                            latencyP50Us: polls.map(\.latencyP50).max() ?? 0, latencyP99Us: polls.map(\.latencyP99).max() ?? 0,
                            latencyMaxUs: polls.map(\.latencyMax).max() ?? 0)
        let result = Result(specialists: settings.specialists, stormRatePerS: settings.stormRate, phaseSeconds: settings.phaseSeconds,
                            rounds: max(1, settings.rounds), store: settings.storePath, readCacheMs: settings.readCacheSeconds * 1000, idle: idle, polling: polling,
                            p99Ratio: idle.cfpToAwardUs.p99 > 0 ? ((polling.cfpToAwardUs.p99 / idle.cfpToAwardUs.p99) * 100).rounded() / 100 : 0,
                            escalated: coordinator.stats.escalated, overloaded: coordinator.stats.rejectedOverloaded)
        shutDown(.success(result))
    }

    private func fail(_ message: String) {
        stormTimer?.close()
        if let poller { _ = poller.stop() }
        shutDown(.failure(BenchError(description: message)))
    }

    private func shutDown(_ result: Swift.Result<Result, BenchError>) {
        phaseTimer?.close()
        service.close()
        coordinator.onStopped = { [unowned self] _ in
            // The coordinator closed the store as it stopped.
            pool.stop { [unowned self] in
                let callback = finished
                finished = nil
                callback?(result)
            }
        }
        coordinator.beginShutdown(reason: "benchmark done")
    }
}
