import ArgumentParser
import Foundation
import Logging
import TenderWire

/// Options every live process shares: the key and the log level.
struct LiveOptions: ParsableArguments {
    @Option(name: .customLong("key-file"), help: "File holding the pre-shared key (at least 16 bytes). Without it a well-known development key is used.")
    var keyFile: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical (default: notice; warning for `up`, whose progress line shares the terminal).")
    var requestedLogLevel: String?

    /// The level given, or notice.
    var logLevel: String { requestedLogLevel ?? "notice" }

    func validate() throws {
        if let requestedLogLevel, Logger.Level(rawValue: requestedLogLevel) == nil {
            throw ValidationError("--log-level `\(requestedLogLevel)` is not one of trace, debug, info, notice, warning, error, critical")
        }
    }

    /// Set up logging to stderr (stdout carries machine-readable event lines) and load the key.
    func prepare(label: String, defaultLevel: Logger.Level = .notice) throws -> (Logger, PreSharedKey) {
        let level = requestedLogLevel.flatMap(Logger.Level.init(rawValue:)) ?? defaultLevel
        LoggingSystem.bootstrap { name in
            var handler = StreamLogHandler.standardError(label: name)
            handler.logLevel = level
            return handler
        }
        // A peer that vanishes mid-write must surface as EPIPE, not kill the process.
        signal(SIGPIPE, SIG_IGN)
        let logger = Logger(label: label)
        guard let keyFile else {
            logger.notice("no --key-file given: using the well-known development key; do not expose this process")
            return (logger, .development)
        }
        do {
            return (logger, try PreSharedKey(file: keyFile))
        } catch {
            throw ValidationError("\(error)")
        }
    }
}

/// "host:port" as given on the command line.
struct HostPort: ExpressibleByArgument, CustomStringConvertible {
    var host: String
    var port: Int

    init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    init?(argument: String) {
        guard let colon = argument.lastIndex(of: ":"), let port = Int(argument[argument.index(after: colon)...]), (0...65535).contains(port) else { return nil }
        var host = String(argument[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return nil }
        self.host = host
        self.port = port
    }

    var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
    static var defaultValueDescription: String { "HOST:PORT" }
}

/// One JSON object per line on stdout, flushed at once: how the live processes announce
/// readiness and events to scripts and tests.
enum EventLine {
    static func emit(_ object: [String: Any]) {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }
}

/// The path of the running `tender` executable, for spawning its own subcommands.
func tenderExecutablePath() -> String {
    (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
}
