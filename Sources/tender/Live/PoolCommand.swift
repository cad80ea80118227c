import ArgumentParser
import Foundation
import TenderConfig
import TenderService
import TenderUV

/// `tender pool`: spawn and supervise specialist processes.
struct PoolCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pool",
        abstract: "Spawn specialist processes and restart crashed ones with backoff.",
        discussion: """
        Prints {"event":"started","name":…,"pid":…} each time a specialist process starts. SIGINT \
        or SIGTERM stops every specialist (SIGTERM, then SIGKILL after 5 s) and exits 0.
        """
    )

    @OptionGroup var pool: PoolOptions
    @OptionGroup var live: LiveOptions

    func run() throws {
        let (logger, _) = try live.prepare(label: "tender.pool")
        let loop = try EventLoop()
        let members = try pool.members(live: live, coordinator: pool.coordinator)
        let supervisor = SpecialistPool(loop: loop, executable: tenderExecutablePath(), members: members, logger: logger)
        var signals: [SignalWatcher] = []
        signals = try [SIGINT, SIGTERM].map { number in
            try SignalWatcher(loop: loop, signal: number) { _ in
                supervisor.stop {
                    signals.forEach { $0.closeIgnoringLaterSignals() }
                }
            }
        }
        supervisor.onStarted = { name, pid in EventLine.emit(["event": "started", "name": name, "pid": pid]) }
        supervisor.start()
        loop.run()
    }
}

/// Which specialists a pool runs and how each is started; shared by `pool` and `up`.
struct PoolOptions: ParsableArguments {
    @Option(help: "Directory of specialist profiles (KIND.yaml).")
    var specialists = "specialists"

    @Option(help: "How many of a kind to run, KIND=N; repeatable. Default: one of each profile in the directory.")
    var count: [String] = []

    @Option(help: "Coordinator address the specialists connect to.")
    var coordinator = HostPort(host: "127.0.0.1", port: 7400)

    @Option(name: .customLong("time-scale"), help: "Passed to each specialist: wall seconds per scenario second (multiplies attempt times; policies still see scenario seconds).")
    var timeScale = 0.005

    @Option(help: "Bidding policy passed to each specialist.")
    var policy = "honest"

    @Option(name: .customLong("nominal-rate"), help: "Passed to each specialist: normal load for the policy's storm intensity (incidents per scenario second, or a scenario file; `up` defaults to the storm it plays).")
    var nominalRate: String?

    func validate() throws {
        guard let nominalRate else { return }
        do {
            _ = try NominalRate.parse(nominalRate)
        } catch {
            throw ValidationError("--nominal-rate " + ConfigValidator.messages(error).joined(separator: "\n"))
        }
    }

    /// The argv of every specialist process, named KIND-i so names stay stable across restarts.
    /// `defaultNominalRate`: the `--nominal-rate` given to each specialist unless the option was
    /// (`up` passes the storm it plays, so a learned policy measures storm intensity as in training).
    func members(live: LiveOptions, coordinator: HostPort, logLevel: String? = nil, defaultCounts: [(String, Int)]? = nil, defaultNominalRate: String? = nil, extra: [String] = []) throws -> [SpecialistPool.Member] {
        var counts: [(String, Int)] = []
        if count.isEmpty, let defaultCounts {
            counts = defaultCounts
        } else if count.isEmpty {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: specialists)) ?? []
            counts = files.filter { $0.hasSuffix(".yaml") }.sorted().map { (String($0.dropLast(5)), 1) }
            guard !counts.isEmpty else { throw ValidationError("\(specialists): no specialist profiles (*.yaml)") }
        } else {
            for item in count {
                let parts = item.split(separator: "=", maxSplits: 1)
                guard parts.count == 2, let number = Int(parts[1]), number >= 0 else { throw ValidationError("--count `\(item)` must be KIND=N") }
                counts.append((String(parts[0]), number))
            }
        }
        var members: [SpecialistPool.Member] = []
        for (kind, number) in counts {
            let profile = "\(specialists)/\(kind).yaml"
            guard FileManager.default.fileExists(atPath: profile) else { throw ValidationError("--count: no profile \(profile)") }
            for index in 0..<number {
                let name = "\(kind)-\(index + 1)"
                var arguments = [
                    "specialist", "--profile", profile, "--name", name, "--coordinator", "\(coordinator)",
                    "--time-scale", "\(timeScale)", "--policy", policy, "--log-level", logLevel ?? live.logLevel,
                    "--seed", "\(members.count + 1)",
                ]
                if let keyFile = live.keyFile { arguments += ["--key-file", keyFile] }
                if let rate = nominalRate ?? defaultNominalRate { arguments += ["--nominal-rate", rate] }
                members.append(SpecialistPool.Member(name: name, arguments: arguments + extra))
            }
        }
        return members
    }
}
