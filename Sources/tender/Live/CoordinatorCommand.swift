import ArgumentParser
import Foundation
import TenderCore
import TenderService
import TenderUV

/// `tender coordinator`: accepts specialists and incidents, runs the auctions.
struct CoordinatorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coordinator",
        abstract: "Run the coordinator: specialists connect to it, incidents arrive through its intake.",
        discussion: """
        Prints one JSON line when ready ({"event":"ready",...}) and one when stopped, with the \
        summary. SIGINT or SIGTERM stops intake, settles the auctions in flight and exits 0.
        """
    )

    @Option(help: "Address specialists connect to.")
    var listen = HostPort(host: "127.0.0.1", port: 7400)

    @Option(help: "Address of the JSON-lines incident intake.")
    var intake = HostPort(host: "127.0.0.1", port: 7401)

    @Flag(help: "Also read incidents as JSON lines from standard input (replies go to standard output).")
    var stdin = false

    @Option(help: "SQLite file, the system of record: incidents are durable there before they are acknowledged; executions, approvals, pages and the audit log live there too. On restart, executions in flight are finished and unfinished incidents continue. Without it an in-memory database holds this run only.")
    var db: String?

    @Option(help: "Directory of specialist profiles: a plan is checked against the profile of the specialist that sent it.")
    var specialists = "specialists"

    @OptionGroup var engine: EngineOptions
    @OptionGroup var execution: ExecutorOptions
    @OptionGroup var live: LiveOptions
    @OptionGroup var api: HTTPOptions

    func run() throws {
        let (logger, key) = try live.prepare(label: "tender.coordinator")
        let launch = try CoordinatorLaunch(listen: listen, intake: intake, db: db, engine: engine, execution: try execution.settings(specialists: specialists), logger: logger, key: key)
        let (loop, coordinator, intakeServer) = (launch.loop, launch.coordinator, launch.intake)
        if stdin { _ = try StdinIntake(coordinator: coordinator, loop: loop, logger: logger) }
        let apiService = try api.start(coordinator: coordinator, loop: loop, logger: logger)

        var exitCode: Int32 = 0
        let signals = try [SIGINT, SIGTERM].map { number in
            try SignalWatcher(loop: loop, signal: number) { _ in coordinator.beginShutdown(reason: number == SIGINT ? "SIGINT" : "SIGTERM") }
        }
        coordinator.observeConclusions { _ in }
        coordinator.onStopped = { summary in
            var line = (try? JSONSerialization.jsonObject(with: JSONEncoder().encode(summary))) as? [String: Any] ?? [:]
            line["event"] = "stopped"
            EventLine.emit(line)
            if db == nil, summary.incidents > summary.resolved + summary.escalated + summary.cancelled { exitCode = 1 }
            signals.forEach { $0.closeIgnoringLaterSignals() }
            apiService?.close()
            loop.stop()
        }
        var ready: [String: Any] = ["event": "ready", "specialists": "\(listen.host):\(coordinator.specialistPort)", "intake": "\(intake.host):\(intakeServer.port)"]
        if let apiService, let http = api.http { ready["http"] = apiService.dashboardURL(host: http.host) }
        EventLine.emit(ready)
        loop.run()
        if exitCode != 0 { throw ExitCode(exitCode) }
    }
}

/// Engine and coordinator knobs shared by `coordinator`, `up` and `bench coordinator`.
struct EngineOptions: ParsableArguments {
    @Option(name: .customLong("reply-window-ms"), help: "How long specialists have to answer a call for proposals.")
    var replyWindowMs = 250

    @Option(name: .customLong("cfp-sample"), help: "Invite at most this many eligible specialists per round, sampled at random (Sparrow-style); default: all.")
    var cfpSample: Int?

    @Option(name: .customLong("max-open"), help: "Incidents in flight before intake answers \"overloaded\".")
    var maxOpen = 50_000

    @Option(help: "Weigh bidders' track records (calibration, failures) in awards: on or off, as on `simulate` (docs/ENGINE.md, \"Reputation\"). The record is kept, and stored with --db, either way.")
    var reputation = "on"

    @Option(name: .customLong("admission-target-ms"), help: "Adaptive admission: keep mean CFP→award latency near this by limiting incidents in flight (past the limit intake answers \"overloaded\"); 0 turns it off.")
    var admissionTargetMs = 25.0

    @Option(name: .customLong("admission-floor"), help: "The admission limit never goes below this many incidents in flight.")
    var admissionFloor = 256

    @Option(name: .customLong("admission-ceiling"), help: "The admission limit never goes above this many incidents in flight.")
    var admissionCeiling = 16_384

    @Option(name: .customLong("heartbeat-ms"), help: "Heartbeat interval; a specialist silent for 3.5 intervals is declared dead.")
    var heartbeatMs = 1000

    @Option(name: .customLong("drain-timeout"), help: "Seconds a graceful shutdown waits for auctions in flight.")
    var drainTimeout = 30.0

    @Option(name: .customLong("max-intake-connections"), help: "Intake connections open at once; lowered to fit the descriptor limit with room kept for specialists.")
    var maxIntakeConnections = ConnectionLimits().maxIntakeConnections

    @Option(name: .customLong("intake-idle-timeout"), help: "Seconds an intake connection may stay silent (not watching, owed no reply) before it is closed; 0: never.")
    var intakeIdleTimeout = ConnectionLimits().intakeIdleTimeout

    func validate() throws {
        guard replyWindowMs > 0 else { throw ValidationError("--reply-window-ms must be positive") }
        guard heartbeatMs >= 50 else { throw ValidationError("--heartbeat-ms must be at least 50") }
        guard maxOpen > 0 else { throw ValidationError("--max-open must be positive") }
        guard admissionTargetMs >= 0 else { throw ValidationError("--admission-target-ms must not be negative (0 turns admission control off)") }
        guard admissionFloor >= 1, admissionCeiling >= admissionFloor else { throw ValidationError("--admission-floor must be at least 1 and at most --admission-ceiling") }
        guard ["on", "off"].contains(reputation) else { throw ValidationError("--reputation must be on or off, not `\(reputation)`") }
        if let cfpSample, cfpSample < 1 { throw ValidationError("--cfp-sample must be at least 1") }
        guard maxIntakeConnections >= 1 else { throw ValidationError("--max-intake-connections must be at least 1") }
        guard intakeIdleTimeout >= 0 else { throw ValidationError("--intake-idle-timeout must not be negative (0 turns it off)") }
    }

    func apply(to config: inout CoordinatorConfig) {
        config.engine.replyWindow = Double(replyWindowMs) / 1000
        config.engine.cfpSampleSize = cfpSample
        config.engine.reputation.enabled = reputation == "on"
        config.maxOpenIncidents = maxOpen
        config.admission = AdmissionLimit.Settings(target: admissionTargetMs / 1000, floor: admissionFloor, ceiling: admissionCeiling)
        config.heartbeatInterval = Double(heartbeatMs) / 1000
        config.heartbeatTimeout = 3.5 * config.heartbeatInterval
        config.drainTimeout = drainTimeout
        config.connections.maxIntakeConnections = maxIntakeConnections
        config.connections.intakeIdleTimeout = intakeIdleTimeout
    }
}
