import Foundation
import Histogram
import Logging
import TenderCore
import TenderUV

/// `tender bench coordinator`: an open-loop load on a real coordinator, over loopback TCP, with
/// real specialist processes. Incidents are submitted at a fixed rate whatever the coordinator's
/// progress (open loop, so slowness shows as latency and backlog instead of a slower sender).
public final class CoordinatorBench {
    public struct Settings: Sendable {
        public var specialists = 4
        public var processes = 4
        public var rate = 1000.0
        public var duration = 5.0
        public var cfpSample: Int?
        public var capacity = 64
        public var profiles = "specialists"
        /// The coordinator's admission target in seconds (0: no adaptive limit).
        public var admissionTarget = AdmissionLimit.Settings().target
        public init() {}
    }

    /// The figures, as `--json` prints them.
    public struct Result: Sendable, Codable {
        public struct Latency: Sendable, Codable {
            public var p50: Double
            public var p90: Double
            public var p99: Double
            public var p999: Double
            public var max: Double
        }
        public var specialists: Int
        public var processes: Int
        public var cfpSample: Int?
        public var targetRate: Double
        /// Incidents actually generated per second of load (the sender may fall behind `targetRate`).
        public var offered: Double
        public var durationSeconds: Double
        public var submitted: Int
        public var awarded: Int
        public var auctionsPerSecond: Double
        public var resolved: Int
        /// Incidents that ran out of attempts (rounds that kept failing, e.g. missed reply windows).
        public var escalated: Int
        /// "overloaded" replies: the coordinator full or over its admission limit.
        public var overloaded: Int
        /// The part of `overloaded` refused by the admission limit.
        public var admissionRefused: Int
        /// The admission target in milliseconds (0: off) and the limit at the end of the load.
        public var admissionTargetMs: Double
        public var admissionLimit: Int?
        public var settledAfterSeconds: Double
        /// Round opened (CFPs out) to award decided, in microseconds, during the load window.
        public var cfpToAwardMicroseconds: Latency

        /// snake_case with the unit in the name, like every `--json` output (docs/JSON.md).
        enum CodingKeys: String, CodingKey {
            case specialists, processes
            case cfpSample = "cfp_sample"
            case targetRate = "target_rate_per_s"
            case offered = "offered_per_s"
            case durationSeconds = "duration_s"
            case submitted, awarded
            case auctionsPerSecond = "auctions_per_s"
            case resolved, escalated, overloaded
            case admissionRefused = "admission_refused"
            case admissionTargetMs = "admission_target_ms"
            case admissionLimit = "admission_limit"
            case settledAfterSeconds = "settled_after_s"
            case cfpToAwardMicroseconds = "cfp_to_award_us"
        }
    }

    private let loop: EventLoop
    private let settings: Settings
    private let logger: Logger
    private let coordinator: Coordinator
    private let pool: SpecialistPool
    private var loadTimer: LoopTimer?
    private var watchdog: LoopTimer?
    private var startedAt = 0.0
    private var sent = 0
    private var accepted = 0
    private var awardsAtStart = 0
    private var loadEnded = 0.0
    private var awardsInWindow = 0
    private var sentInWindow = 0
    private var loadSeconds = 0.0
    private var limitAtEnd: Int?
    private var latency: Histogram<UInt64>?
    private var finished: ((Swift.Result<Result, BenchError>) -> Void)?
    private let submissions: [IncidentSubmission] = IncidentCategory.allCases.map { category in
        IncidentSubmission(category: category, severity: .high, service: "bench", region: "local", entities: [
            .ip("192.0.2.1"), .host("bench-host"), .service("bench"), .user("bench"), .query("bench"),
        ])
    }

    public struct BenchError: Error, CustomStringConvertible {
        public let description: String
    }

    public init(loop: EventLoop, executable: String, settings: Settings, logger: Logger) throws {
        self.loop = loop
        self.settings = settings
        self.logger = logger
        var config = CoordinatorConfig()
        config.specialistPort = 0
        config.engine.cfpSampleSize = settings.cfpSample
        config.maxOpenIncidents = 1_000_000
        config.admission.target = settings.admissionTarget
        coordinator = try Coordinator(config: config, loop: loop, store: MemoryStore(), key: .development, logger: logger)
        try coordinator.start()
        let kinds = SpecialistKind.allCases.map(\.rawValue)
        let processes = max(1, min(settings.processes, settings.specialists))
        var members: [SpecialistPool.Member] = []
        for index in 0..<processes {
            let instances = settings.specialists / processes + (index < settings.specialists % processes ? 1 : 0)
            let kind = kinds[index % kinds.count]
            members.append(SpecialistPool.Member(name: "bench-\(index)", arguments: [
                "specialist", "--profile", "\(settings.profiles)/\(kind).yaml", "--name", "bench-\(kind)-\(index)",
                "--instances", "\(instances)", "--time-scale", "0", "--failure-scale", "0",
                "--capacity", "\(settings.capacity)", "--coordinator", "127.0.0.1:\(coordinator.specialistPort)",
                "--log-level", "warning", "--seed", "\(index + 1)",
            ]))
        }
        pool = SpecialistPool(loop: loop, executable: executable, members: members, output: .ignore, logger: logger)
    }

    /// Start the pool, wait for every specialist, run the load, settle, and report.
    public func run(_ completion: @escaping (Swift.Result<Result, BenchError>) -> Void) {
        finished = completion
        coordinator.onPoolChanged = { [unowned self] connected in
            if connected == self.settings.specialists, self.loadTimer == nil { self.startLoad() }
        }
        pool.start()
        watchdog = try? LoopTimer(loop: loop)
        watchdog?.start(afterMilliseconds: 120_000) { [unowned self] in
            self.fail("only \(self.coordinator.connectedSpecialists) of \(self.settings.specialists) specialists connected within 120 s")
        }
    }

    private func startLoad() {
        watchdog?.stop()
        logger.notice("all specialists connected; starting load", metadata: ["rate": "\(settings.rate)", "seconds": "\(settings.duration)"])
        coordinator.stats.cfpToAward.reset()
        awardsAtStart = coordinator.stats.awards
        startedAt = EventLoop.monotonicSeconds()
        guard let timer = try? LoopTimer(loop: loop) else { return fail("cannot start the load timer") }
        loadTimer = timer
        timer.start(afterMilliseconds: 1, repeatMilliseconds: 1) { [unowned self] in self.tick() }
    }

    private func tick() {
        let elapsed = EventLoop.monotonicSeconds() - startedAt
        let due = Int(min(elapsed, settings.duration) * settings.rate)
        while sent < due {
            coordinator.submit(submissions[sent & 3]) { [unowned self] reply in
                if case .accepted = reply { self.accepted += 1 }
            }
            sent += 1
        }
        guard elapsed >= settings.duration else { return }
        loadTimer?.stop()
        loadEnded = EventLoop.monotonicSeconds()
        loadSeconds = loadEnded - startedAt
        sentInWindow = sent
        limitAtEnd = coordinator.admission.isEnabled ? coordinator.admission.limit : nil
        awardsInWindow = coordinator.stats.awards - awardsAtStart
        latency = coordinator.stats.cfpToAward
        waitForSettle()
    }

    private func waitForSettle() {
        let deadline = EventLoop.monotonicSeconds() + 60
        loadTimer?.start(afterMilliseconds: 5, repeatMilliseconds: 5) { [unowned self] in
            if self.coordinator.openIncidents == 0 || EventLoop.monotonicSeconds() > deadline { self.report() }
        }
    }

    private func report() {
        loadTimer?.close()
        let histogram = latency ?? coordinator.stats.cfpToAward
        func micro(_ percentile: Double) -> Double { histogram.totalCount == 0 ? 0 : Double(histogram.valueAtPercentile(percentile)) }
        let stats = coordinator.stats
        let result = Result(
            specialists: settings.specialists, processes: min(settings.processes, settings.specialists), cfpSample: settings.cfpSample,
            targetRate: settings.rate, offered: Double(sentInWindow) / max(loadSeconds, settings.duration),
            durationSeconds: settings.duration, submitted: accepted, awarded: awardsInWindow,
            auctionsPerSecond: Double(awardsInWindow) / settings.duration, resolved: stats.resolved, escalated: stats.escalated,
            overloaded: stats.rejectedOverloaded, admissionRefused: stats.rejectedByAdmission,
            admissionTargetMs: settings.admissionTarget * 1000, admissionLimit: limitAtEnd,
            settledAfterSeconds: EventLoop.monotonicSeconds() - loadEnded,
            cfpToAwardMicroseconds: .init(p50: micro(50), p90: micro(90), p99: micro(99), p999: micro(99.9), max: Double(histogram.max))
        )
        shutDown(.success(result))
    }

    private func fail(_ message: String) {
        loadTimer?.close()
        shutDown(.failure(BenchError(description: message)))
    }

    private func shutDown(_ result: Swift.Result<Result, BenchError>) {
        watchdog?.close()
        coordinator.onStopped = { [unowned self] _ in
            self.pool.stop {
                let callback = self.finished
                self.finished = nil
                callback?(result)
            }
        }
        coordinator.beginShutdown(reason: "benchmark done")
    }
}
