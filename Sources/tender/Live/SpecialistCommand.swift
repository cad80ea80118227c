import ArgumentParser
import Foundation
import TenderConfig
import TenderCore
import TenderService
import TenderUV

/// `tender specialist`: one specialist agent process (or several instances of one profile).
struct SpecialistCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "specialist",
        abstract: "Run a specialist agent that bids for incidents and answers awards with a plan.",
        discussion: """
        Prints a JSON line per notable event: {"event":"connected"}, {"event":"disconnected"}, \
        {"event":"refused"} when the coordinator refuses the handshake (exit status 2, since \
        retrying would not help); with --announce-tasks also {"event":"awarded"} and \
        {"event":"rejected"} for proposals rejected other than for being outbid.
        """
    )

    @Option(help: "Specialist profile (YAML).")
    var profile: String

    @Option(help: "Bidding policy: a heuristic name (\(HeuristicPolicies.names.joined(separator: ", "))) or a JSON policy file.")
    var policy = "honest"

    @Option(help: "Coordinator address.")
    var coordinator = HostPort(host: "127.0.0.1", port: 7400)

    @Option(name: .customLong("time-scale"), help: "Wall seconds per scenario second: multiplies the attempt times drawn from the profile (0.01 makes demos 100x faster; 0 answers at once). The policy still sees, and bids, scenario seconds.")
    var timeScale = 1.0

    @Option(help: "Instance name (default: the profile's name).")
    var name: String?

    @Option(help: "Run this many agents of the profile in this process, each with its own connection.")
    var instances = 1

    @Option(help: "Override the profile's capacity.")
    var capacity: Int?

    @Option(name: .customLong("failure-scale"), help: "Multiplies the profile's failure probability (0: never fail).")
    var failureScale = 1.0

    @Option(name: .customLong("reply-delay-ms"), help: "Fault injection: answer every call for proposals this late.")
    var replyDelayMs = 0

    @Flag(name: .customLong("announce-tasks"), help: "Print a JSON line for every award, and every rejection other than outbid (tests, demos).")
    var announceTasks = false

    @Option(help: "Random seed for attempt times and failures (and reconnection jitter).")
    var seed: UInt64 = 1

    @Option(
        name: .customLong("nominal-rate"),
        help: "Normal load, against which the policy's storm intensity is measured: incidents per scenario second, or a scenario file (its mean arrival rate, as the simulator uses). 0 keeps the intensity at 1."
    )
    var nominalRate: String?

    @OptionGroup var live: LiveOptions

    func validate() throws {
        guard timeScale >= 0 else { throw ValidationError("--time-scale must not be negative") }
        guard (1...4096).contains(instances) else { throw ValidationError("--instances must be from 1 to 4096") }
        if let capacity, capacity < 1 { throw ValidationError("--capacity must be at least 1") }
        _ = try parsedNominalRate()
    }

    /// `--nominal-rate` in incidents per second (0 when not given).
    func parsedNominalRate() throws -> Double {
        guard let nominalRate else { return 0 }
        do {
            return try NominalRate.parse(nominalRate)
        } catch {
            throw ValidationError("--nominal-rate " + ConfigValidator.messages(error).joined(separator: "\n"))
        }
    }

    func run() throws {
        // First of all: a specialist started by a pool dies with it, even after `kill -9`.
        if case .orphaned(let expected, let actual) = ParentLink.bind(environment: ProcessInfo.processInfo.environment) {
            printError("tender specialist: the pool that started it (pid \(expected)) is gone (parent is now \(actual)); exiting")
            return
        }
        let (logger, key) = try live.prepare(label: "tender.specialist")
        let loadedProfile: SpecialistProfile
        do {
            loadedProfile = try ProfileLoader.load(path: profile)
        } catch {
            printError("\(error)")
            throw ExitCode(2)
        }
        let biddingPolicy = try PolicyFile.load(policy)
        let rate = try parsedNominalRate()
        let loop = try EventLoop()
        let baseName = name ?? loadedProfile.name
        var agents: [SpecialistAgent] = []
        var refused = false
        for index in 0..<instances {
            let instanceName = instances == 1 ? baseName : "\(baseName)-\(index + 1)"
            var config = SpecialistAgentConfig(profile: loadedProfile, name: instanceName, policy: biddingPolicy, key: key)
            config.host = coordinator.host
            config.port = coordinator.port
            config.timeScale = timeScale
            config.capacity = capacity
            config.failureScale = failureScale
            config.nominalRate = rate
            config.replyDelay = Double(replyDelayMs) / 1000
            config.seed = seed &+ UInt64(index) &* 0x9E37_79B9
            let agent = try SpecialistAgent(config: config, loop: loop, logger: logger)
            agent.onEvent = { event in
                switch event {
                case .connected(let id):
                    EventLine.emit(["event": "connected", "name": instanceName, "id": id])
                case .refused(let reason):
                    EventLine.emit(["event": "refused", "name": instanceName, "reason": reason])
                    refused = true
                case .rejected(let incident, let reason):
                    guard announceTasks else { break }
                    EventLine.emit(["event": "rejected", "name": instanceName, "incident": incident, "reason": reason])
                case .disconnected(let reason):
                    EventLine.emit(["event": "disconnected", "name": instanceName, "reason": reason])
                case .awarded(let incident):
                    if announceTasks { EventLine.emit(["event": "awarded", "name": instanceName, "incident": incident]) }
                case .completed, .failed:
                    break
                }
            }
            agents.append(agent)
        }
        let signals = try [SIGINT, SIGTERM].map { number in
            try SignalWatcher(loop: loop, signal: number) { _ in agents.forEach { $0.stop() } }
        }
        signals.forEach { $0.unref() }
        agents.forEach { $0.start() }
        loop.run()
        signals.forEach { $0.close() }
        if refused { throw ExitCode(2) }
    }
}

/// Bidding policies from the command line: a heuristic by name, or a policy file
/// (`policies/*.yaml`). Trained (PPO) checkpoints arrive with the learning issue and load here too.
enum PolicyFile {
    static func load(_ argument: String) throws -> any BiddingPolicy {
        do {
            return try PolicyLoader.resolve(argument)
        } catch {
            throw ValidationError("--policy `\(argument)`: " + ConfigValidator.messages(error).joined(separator: "\n"))
        }
    }
}
