import ArgumentParser
import Foundation
import Logging
import TenderService
import TenderUV

/// `tender bench auction-under-load`: p99 CFP→award with and without dashboard polling.
struct BenchAuctionUnderLoad: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "auction-under-load",
        abstract: "CFP→award latency of a live coordinator, idle and while a client polls the dashboard's endpoints.",
        discussion: """
        A real coordinator (store, HTTP API on its loop, specialist processes over loopback TCP) takes a \
        steady storm; CFP→award is measured idle, then while a client on its own thread issues \
        --poll-rate GET requests/s over keep-alive connections (--paths, the dashboard's polling).
        """
    )

    @Option(help: "Specialist processes (one specialist each).")
    var specialists = 4

    @Option(name: .customLong("storm-rate"), help: "Incidents per second, submitted open loop.")
    var stormRate = 300.0

    @Option(name: .customLong("poll-rate"), help: "Dashboard GET requests per second while polling.")
    var pollRate = 1000.0

    @Option(name: .customLong("poll-connections"), help: "Keep-alive connections of the polling client (one request in flight each).")
    var pollConnections = 8

    @Option(help: "Comma-separated paths the polling client cycles through.")
    var paths = "/v1/fairness,/v1/specialists,/v1/incidents?limit=50"

    @Option(help: "Seconds measured per phase (after --warmup seconds not counted).")
    var duration = 5.0

    @Option(help: "Seconds of each phase not counted.")
    var warmup = 1.0

    @Option(help: "Idle/polling pairs, interleaved.")
    var rounds = 1

    @Option(help: "The coordinator's store: file (a SQLite file in the temporary directory, as --db) or memory (as without --db).")
    var store = "file"

    @Option(name: .customLong("read-cache-ms"), help: "How long the API reuses a list read's answer; 0 shows what polling costs without it.")
    var readCacheMs = 250.0

    @Option(name: .customLong("profiles"), help: "Directory of specialist profiles.")
    var profiles = "specialists"

    @Flag(help: "Print the figures as JSON.")
    var json = false

    @Option(name: .customLong("log-level"))
    var logLevel = "warning"

    func validate() throws {
        guard specialists >= 1, stormRate > 0, pollRate > 0, pollConnections >= 1, duration > 0, warmup >= 0, rounds >= 1, readCacheMs >= 0 else {
            throw ValidationError("--specialists, --storm-rate, --poll-rate, --poll-connections, --duration and --rounds must be positive")
        }
        guard ["file", "memory"].contains(store) else { throw ValidationError("--store is file or memory, not \(store)") }
        guard !paths.split(separator: ",").isEmpty else { throw ValidationError("--paths needs at least one path") }
    }

    func run() throws {
        let level = Logger.Level(rawValue: logLevel) ?? .warning
        LoggingSystem.bootstrap { name in
            var handler = StreamLogHandler.standardError(label: name)
            handler.logLevel = level
            return handler
        }
        signal(SIGPIPE, SIG_IGN)
        var settings = AuctionUnderLoadBench.Settings()
        settings.specialists = specialists
        settings.stormRate = stormRate
        settings.pollRate = pollRate
        settings.pollConnections = pollConnections
        settings.pollPaths = paths.split(separator: ",").map(String.init)
        settings.phaseSeconds = duration
        settings.warmup = warmup
        settings.rounds = rounds
        settings.profiles = profiles
        settings.readCacheSeconds = readCacheMs / 1000
        let file = NSTemporaryDirectory() + "tender-bench-\(UUID().uuidString).db"
        settings.storePath = store == "file" ? file : SharedMemoryDatabase.newPath()
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file + suffix) } }
        let loop = try EventLoop()
        let bench = try AuctionUnderLoadBench(loop: loop, executable: tenderExecutablePath(), settings: settings, logger: Logger(label: "tender.bench"))
        var outcome: Result<AuctionUnderLoadBench.Result, AuctionUnderLoadBench.BenchError>?
        bench.run { result in
            outcome = result
            loop.stop()
        }
        loop.run()
        switch outcome {
        case .success(var result)?:
            result.store = store
            if json {
                try JSONOutput.print(result)
            } else {
                for (name, phase) in [("idle", result.idle), ("polling", result.polling)] {
                    let l = phase.cfpToAwardUs
                    print("\(name): CFP→award p50 \(Int(l.p50)) µs, p99 \(Int(l.p99)) µs, max \(Int(l.max)) µs over \(phase.awards) awards")
                }
                if let poll = result.polling.poll {
                    print(String(format: "polling: %.0f requests/s achieved of %.0f (%d not 2xx); p99 ratio %.2f", poll.achievedPerS, poll.targetPerS, poll.non2xx, result.p99Ratio))
                }
            }
        case .failure(let error)?:
            printError("benchmark failed: \(error)")
            throw ExitCode(1)
        case nil:
            throw ExitCode(1)
        }
    }
}
