import Dispatch
import Foundation
import Logging
import TenderCore
import TenderHTTP
import TenderUV

/// The coordinator's HTTP API as `--http` serves it, on a loop and thread of its own, for
/// `tender bench http`: the real intake (`Coordinator.submit`, acknowledged once durable in the
/// SQLite store at `storePath`) and the real backend's reads. A pool of specialist processes
/// connects and wins a warm-up storm first, so `/v1/fairness` reports over real awards;
/// `disconnectSpecialists()` then stops them, so incidents posted afterwards wait in the backlog
/// instead of being auctioned on the same loop (auction throughput is `bench coordinator`'s).
public final class CoordinatorHTTPServer: @unchecked Sendable {
    public struct Settings: Sendable {
        public var storePath = ""
        public var executable = ""
        public var profiles = "specialists"
        public var specialists = 4
        /// Incidents auctioned and awarded before the server reports ready.
        public var warmupIncidents = 400
        public init() {}
    }

    public private(set) var port = 0
    /// Awards in the tally when the server became ready.
    public private(set) var awardsAtReady = 0
    private var disconnect: LoopWakeup?
    private var stop: LoopWakeup?
    private let disconnected = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    public init(settings: Settings, logger: Logger) throws {
        let ready = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var failure: Error?
        let thread = Thread { [self] in
            do {
                let loop = try EventLoop()
                try serve(loop: loop, settings: settings, logger: logger, ready: { error in
                    failure = error
                    ready.signal()
                })
                loop.run()
                loop.close()
            } catch {
                failure = error
                ready.signal()
            }
            finished.signal()
        }
        thread.name = "tender-bench-coordinator"
        thread.start()
        ready.wait()
        if let failure { throw failure }
    }

    private func serve(loop: EventLoop, settings: Settings, logger: Logger, ready: @escaping (Error?) -> Void) throws {
        var config = CoordinatorConfig()
        config.specialistPort = 0
        config.maxOpenIncidents = 10_000_000
        config.admission.target = 0
        config.drainTimeout = 1
        let store = try CoordinatorStore(path: settings.storePath, loop: loop)
        let coordinator = try Coordinator(config: config, loop: loop, store: store, key: .development, logger: logger)
        try coordinator.start()
        let backend = try CoordinatorAPIBackend(coordinator: coordinator)
        var limits = HTTPLimits()
        limits.maxConnections = 4096
        let service = try APIService(loop: loop, host: "127.0.0.1", port: 0, backend: backend, limits: limits)
        backend.attach(to: service)
        service.router.incidentLimits = config.incidentLimits
        port = service.port
        let kinds = SpecialistKind.allCases.map(\.rawValue)
        let pool = SpecialistPool(loop: loop, executable: settings.executable, members: (0..<settings.specialists).map { index in
            let kind = kinds[index % kinds.count]
            return SpecialistPool.Member(name: "bench-\(index)", arguments: [
                "specialist", "--profile", "\(settings.profiles)/\(kind).yaml", "--name", "bench-\(kind)-\(index)",
                "--time-scale", "0", "--failure-scale", "0", "--capacity", "64",
                "--coordinator", "127.0.0.1:\(coordinator.specialistPort)", "--log-level", "warning", "--seed", "\(index + 1)",
            ])
        }, output: .ignore, logger: logger)
        let watch = try LoopTimer(loop: loop)
        var readied = false
        coordinator.onPoolChanged = { [unowned self] connected in
            if connected == 0, readied { disconnected.signal() }
            guard connected == settings.specialists, !readied else { return }
            readied = true
            let submission = IncidentSubmission(category: .network, severity: .high, service: "bench", region: "local", entities: [.ip("192.0.2.1")])
            for index in 0..<settings.warmupIncidents {
                var each = submission
                each.category = IncidentCategory.allCases[index % 4]
                each.entities = [.ip("192.0.2.1"), .host("bench-host"), .service("bench"), .user("bench"), .query("bench")]
                coordinator.submit(each) { _ in }
            }
            watch.start(afterMilliseconds: 10, repeatMilliseconds: 10) { [unowned self] in
                guard coordinator.stats.awards >= settings.warmupIncidents else { return }
                watch.stop()
                awardsAtReady = coordinator.stats.awards
                ready(nil)
            }
        }
        watch.start(afterMilliseconds: 120_000) { ready(CoordinatorBench.BenchError(description: "the specialists did not connect and win the warm-up storm within 120 s")) }
        var poolStopped = false
        disconnect = try LoopWakeup(loop: loop) {
            poolStopped = true
            pool.stop {}
        }
        stop = try LoopWakeup(loop: loop) { [unowned self] in
            watch.close()
            service.close()
            coordinator.onStopped = { [unowned self] _ in
                let closeWakeups = { [unowned self] in
                    disconnect?.close()
                    stop?.close()
                }
                // A pool already stopped has no completion left to call.
                if poolStopped { closeWakeups() } else { pool.stop(completion: closeWakeups) }
            }
            coordinator.beginShutdown(reason: "benchmark done")
        }
        pool.start()
    }

    /// Stop the specialist processes and wait until the coordinator has seen them all go.
    public func disconnectSpecialists() {
        disconnect?.wake()
        disconnected.wait()
    }

    /// Shut the coordinator down (its store closed) and wait for the thread.
    public func shutdown() {
        stop?.wake()
        finished.wait()
    }
}
