import ArgumentParser
import Foundation
import TenderService
import TenderUV

/// `tender up`: the whole live system in one command — coordinator, a pool of specialists and a
/// storm feeder — with a progress line and a summary at the end. What `make run` runs.
struct UpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "up",
        abstract: "Run the coordinator, a specialist pool and a storm feeder, then summarise.",
        discussion: """
        The storm is Poisson arrivals with a 3x storm in the middle of the run (the simulator's \
        scenario files will replace it when they land), played in scaled real time. Ctrl-C stops \
        everything cleanly; the summary reports incidents, time-to-resolve percentiles (scenario \
        seconds), Jain's index, re-auctions and escalations.
        """
    )

    @Option(help: "Address specialists connect to.")
    var listen = HostPort(host: "127.0.0.1", port: 7400)

    @Option(help: "JSON-lines intake address (for `tender submit` alongside the storm).")
    var intake = HostPort(host: "127.0.0.1", port: 7401)

    @Option(help: "SQLite store; without it incidents live in memory only.")
    var db: String?

    @Option(help: "Incidents per scenario second outside the storm.")
    var rate = 0.008

    @Option(help: "Scenario length in scenario seconds.")
    var duration = 3600.0

    @Option(help: "Random seed of the storm.")
    var seed: UInt64 = 42

    @Flag(help: "Print the summary as JSON.")
    var json = false

    @OptionGroup var pool: PoolOptions
    @OptionGroup var engine: EngineOptions
    @OptionGroup var live: LiveOptions

    func run() throws {
        let (logger, key) = try live.prepare(label: "tender.up")
        let loop = try EventLoop()
        var config = CoordinatorConfig()
        config.specialistHost = listen.host
        config.specialistPort = listen.port
        engine.apply(to: &config)
        let store: IncidentStore = try db.map { try SQLiteStore(path: $0, loop: loop) } ?? MemoryStore()
        let coordinator = try Coordinator(config: config, loop: loop, store: store, executor: SimulatedExecutor(logger: logger), key: key, logger: logger)
        try coordinator.start()
        _ = try IntakeServer(coordinator: coordinator, loop: loop, host: intake.host, port: intake.port, logger: logger)
        let members = try pool.members(live: live, coordinator: HostPort(host: listen.host, port: coordinator.specialistPort), logLevel: "warning")
        let supervisor = SpecialistPool(loop: loop, executable: tenderExecutablePath(), members: members, output: .ignore, logger: logger)
        let storm = PoissonStorm(ratePerSecond: rate, duration: duration, seed: seed)
        let feeder = try StormFeeder(stream: storm, coordinator: coordinator, loop: loop, timeScale: pool.timeScale)
        let progress = try ProgressLine(loop: loop, coordinator: coordinator, feeder: feeder, specialists: members.count, timeScale: pool.timeScale)

        var summary: CoordinatorSummary?
        var signals: [SignalWatcher] = []
        func shutDown(_ reason: String) {
            feeder.stop()
            coordinator.beginShutdown(reason: reason)
        }
        coordinator.onPoolChanged = { connected in
            if connected == members.count, progress.feederStarted == false {
                progress.feederStarted = true
                feeder.start()
            }
        }
        feeder.onFinished = {
            // The storm is over: settle what is in flight, then stop.
            shutDown("storm finished")
        }
        coordinator.onStopped = { result in
            summary = result
            progress.close()
            supervisor.stop {
                signals.forEach { $0.close() }
                loop.stop()
            }
        }
        signals = try [SIGINT, SIGTERM].map { number in
            try SignalWatcher(loop: loop, signal: number) { _ in shutDown(number == SIGINT ? "Ctrl-C" : "SIGTERM") }
        }
        supervisor.start()
        printError("tender up: coordinator on \(listen.host):\(coordinator.specialistPort), \(members.count) specialists, storm of \(Int(duration))s scenario time at x\(pool.timeScale)")
        loop.run()
        guard let summary else { throw ExitCode(1) }
        try report(summary, timeScale: pool.timeScale)
    }

    private func report(_ summary: CoordinatorSummary, timeScale: Double) throws {
        if json {
            try JSONOutput.print(summary)
            return
        }
        let scale = timeScale > 0 ? 1 / timeScale : 1
        let ttr = summary.timeToResolveSeconds
        print("""
        Incidents     \(summary.incidents) (resolved \(summary.resolved), escalated \(summary.escalated), cancelled \(summary.cancelled))
        Time to resolve (scenario time)  p50 \(format(ttr.p50 * scale))  p90 \(format(ttr.p90 * scale))  p99 \(format(ttr.p99 * scale))
        Jain's index  \(String(format: "%.3f", summary.jainIndex)) (capability-normalised)
        Re-auctions   \(summary.reauctions)
        Escalations   \(summary.escalated)
        """)
    }

    private func format(_ seconds: Double) -> String {
        seconds >= 120 ? String(format: "%.1f min", seconds / 60) : String(format: "%.1f s", seconds)
    }
}
