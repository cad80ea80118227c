import ArgumentParser
import Foundation
import TenderConfig
import TenderCore
import TenderService
import TenderUV

/// `tender up`: the whole live system in one command — coordinator, a pool of specialists and a
/// storm feeder — with a progress line and a summary at the end. What `make run` runs.
struct UpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "up",
        abstract: "Run the coordinator, a specialist pool and a storm feeder, then summarise.",
        discussion: """
        Plays a scenario from simulations/ (its arrival streams and cascades; its specialist counts size the \
        pool unless --count is given) in scaled real time: --time-scale 0.005 turns an hour of \
        scenario into 18 seconds. --poisson plays a plain Poisson storm instead. Ctrl-C stops \
        everything cleanly; the summary reports incidents, time-to-resolve percentiles (scenario \
        time), Jain's index, re-auctions and escalations.
        """
    )

    @Option(help: "Address specialists connect to.")
    var listen = HostPort(host: "127.0.0.1", port: 7400)

    @Option(help: "JSON-lines intake address (for `tender submit` alongside the storm).")
    var intake = HostPort(host: "127.0.0.1", port: 7401)

    @Option(help: "SQLite store (the system of record); without it an in-memory database holds this run only.")
    var db: String?

    @Option(help: "Storm scenario to play.")
    var scenario = "simulations/ddos-storm.yaml"

    @Option(help: "Stop the storm after this many scenario seconds (default: 6 hours, or the scenario's end if sooner).")
    var duration = 21_600.0

    @Flag(help: "Play a Poisson storm (with a 3x surge in the middle) instead of a scenario.")
    var poisson = false

    @Option(help: "With --poisson: incidents per scenario second outside the surge.")
    var rate = 0.008

    @Option(help: "Random seed of the storm (default: the scenario's).")
    var seed: UInt64?

    @Flag(help: "Print the summary as JSON.")
    var json = false

    @OptionGroup var pool: PoolOptions
    @OptionGroup var engine: EngineOptions
    @OptionGroup var execution: ExecutorOptions
    @OptionGroup var live: LiveOptions
    @OptionGroup var api: HTTPOptions

    func run() throws {
        let (logger, key) = try live.prepare(label: "tender.up", defaultLevel: .warning)
        let launch = try CoordinatorLaunch(listen: listen, intake: intake, db: db, engine: engine, execution: try execution.settings(specialists: pool.specialists),
                                           logger: logger, key: key, timeScale: pool.timeScale)
        let (loop, coordinator, intakeServer) = (launch.loop, launch.coordinator, launch.intake)
        let apiService = try api.start(coordinator: coordinator, loop: loop, logger: logger)
        var stream: any IncidentStream = PoissonStorm(ratePerSecond: rate, duration: duration, seed: seed ?? 42)
        var scenarioCounts: [(String, Int)]?
        if !poisson {
            let loaded: Scenario
            do {
                loaded = try ScenarioLoader.load(path: scenario)
            } catch {
                printError("\(error)")
                throw ExitCode(2)
            }
            stream = ScenarioStorm(scenario: loaded, seed: seed, maximumTime: duration)
            var counts: [String: Int] = [:]
            for group in loaded.specialists { counts[group.kind.rawValue, default: 0] += group.count }
            scenarioCounts = counts.sorted { $0.key < $1.key }
        }
        let members = try pool.members(live: live, coordinator: HostPort(host: listen.host, port: coordinator.specialistPort), logLevel: live.requestedLogLevel ?? "warning", defaultCounts: scenarioCounts,
                                   defaultNominalRate: poisson ? "\(rate)" : scenario)
        let supervisor = SpecialistPool(loop: loop, executable: tenderExecutablePath(), members: members, output: .ignore, logger: logger)
        let feeder = try StormFeeder(stream: stream, coordinator: coordinator, loop: loop, timeScale: pool.timeScale)
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
                signals.forEach { $0.closeIgnoringLaterSignals() }
                apiService?.close()
                loop.stop()
            }
        }
        signals = try [SIGINT, SIGTERM].map { number in
            try SignalWatcher(loop: loop, signal: number) { _ in shutDown(number == SIGINT ? "Ctrl-C" : "SIGTERM") }
        }
        supervisor.start()
        if let apiService, let http = api.http {
            // First, so the operator can open it while the storm starts; also a JSON line on
            // stdout when piped, for scripts and tests.
            printError("dashboard: \(apiService.dashboardURL(host: http.host))")
            EventLine.emit(["event": "http", "url": apiService.dashboardURL(host: http.host)])
        }
        printError("tender up: coordinator on \(listen.host):\(coordinator.specialistPort), intake on \(intake.host):\(intakeServer.port), \(members.count) specialists, \(poisson ? "Poisson storm" : scenario) for up to \(Int(duration)) scenario seconds at time x\(pool.timeScale); Ctrl-C stops")
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
        let open = summary.incidents - summary.resolved - summary.escalated - summary.cancelled
        if open > 0 {
            // Most often plans waiting for a person: steps at or above --approval-risk wait for
            // `tender approvals approve` (make run passes --approval-risk none).
            print("Still open    \(open) when the storm ended (waiting for a specialist, or for approval: `tender approvals list`; --approval-risk none runs every step)")
        }
    }

    private func format(_ seconds: Double) -> String {
        seconds >= 120 ? String(format: "%.1f min", seconds / 60) : String(format: "%.1f s", seconds)
    }
}
