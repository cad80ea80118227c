import ArgumentParser
import Foundation
import Logging
import TenderService
import TenderUV

/// `tender bench coordinator`: auctions/s and CFP→award latency of the live coordinator.
struct BenchCoordinator: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coordinator",
        abstract: "Open-loop load on a live coordinator over loopback TCP with real specialist processes.",
        discussion: "Pass several --specialists values (e.g. 4,64,256,1024) for a scalability curve."
    )

    @Option(help: "Connected specialists; a comma-separated list runs one benchmark per value.")
    var specialists = "4"

    @Option(help: "Incidents submitted per second (open loop).")
    var rate = 10_000.0

    @Option(help: "Seconds of load.")
    var duration = 5.0

    @Option(help: "Specialist processes to spread the specialists over (each runs --instances).")
    var processes = 4

    @Option(name: .customLong("cfp-sample"), help: "Invite at most d sampled specialists per round.")
    var cfpSample: Int?

    @Option(help: "Slots per specialist.")
    var capacity = 64

    @Option(name: .customLong("profiles"), help: "Directory of specialist profiles.")
    var profiles = "specialists"

    @Option(name: .customLong("admission-target-ms"), help: "The coordinator's admission target, CFP→award ms (adaptive limit on incidents in flight); 0 turns it off.")
    var admissionTarget = 25.0

    @Flag(help: "Print the figures as JSON.")
    var json = false

    @Option(name: .customLong("log-level"))
    var logLevel = "warning"

    func run() throws {
        let counts = specialists.split(separator: ",").compactMap { Int($0) }
        guard !counts.isEmpty, counts.allSatisfy({ $0 >= 1 }) else { throw ValidationError("--specialists must be positive whole numbers, comma-separated") }
        guard admissionTarget >= 0 else { throw ValidationError("--admission-target-ms must not be negative (0 turns it off)") }
        let level = Logger.Level(rawValue: logLevel) ?? .warning
        LoggingSystem.bootstrap { name in
            var handler = StreamLogHandler.standardError(label: name)
            handler.logLevel = level
            return handler
        }
        signal(SIGPIPE, SIG_IGN)
        let logger = Logger(label: "tender.bench")
        var results: [CoordinatorBench.Result] = []
        for count in counts {
            var settings = CoordinatorBench.Settings()
            settings.specialists = count
            settings.processes = processes
            settings.rate = rate
            settings.duration = duration
            settings.cfpSample = cfpSample
            settings.capacity = capacity
            settings.profiles = profiles
            settings.admissionTarget = admissionTarget / 1000
            let loop = try EventLoop()
            let bench = try CoordinatorBench(loop: loop, executable: tenderExecutablePath(), settings: settings, logger: logger)
            var outcome: Result<CoordinatorBench.Result, CoordinatorBench.BenchError>?
            bench.run { result in
                outcome = result
                loop.stop()
            }
            loop.run()
            switch outcome {
            case .success(let result)?:
                results.append(result)
                if !json {
                    let l = result.cfpToAwardMicroseconds
                    print(String(format: "%5d specialists: %9.0f auctions/s (offered %.0f), CFP→award p50 %.0f µs, p99 %.0f µs, p99.9 %.0f µs, max %.0f µs; %d overloaded, %d escalated",
                                 result.specialists, result.auctionsPerSecond, result.offered, l.p50, l.p99, l.p999, l.max, result.overloaded, result.escalated))
                }
            case .failure(let error)?:
                printError("benchmark with \(count) specialists failed: \(error)")
                throw ExitCode(1)
            case nil:
                throw ExitCode(1)
            }
        }
        if json {
            if results.count == 1 { try JSONOutput.print(results[0]) } else { try JSONOutput.print(results) }
        }
    }
}
