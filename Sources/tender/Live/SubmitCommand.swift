import ArgumentParser
import Foundation
import TenderService
import TenderUV

/// `tender submit`: send incidents to a running coordinator's intake and print its replies.
struct SubmitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Send incidents (JSON lines from a file or stdin, or one from flags) to a coordinator.",
        discussion: """
        Prints the coordinator's reply to each incident as a JSON line. Incidents answered \
        "overloaded" are retried with backoff. With --wait, also waits for every accepted \
        incident to conclude and prints how it ended. Exit status 1 if any incident was rejected.
        """
    )

    @Option(help: "The coordinator's intake address.")
    var intake = HostPort(host: "127.0.0.1", port: 7401)

    @Option(help: "File of JSON lines; `-` or omitted (without --category) reads stdin.")
    var file: String?

    @Option(help: "Submit one incident of this category instead of reading lines.")
    var category: String?

    @Option var severity = "medium"
    @Option var service = ""
    @Option var region = ""

    @Option(help: "An entity of the incident, TYPE=VALUE (ip, host, service, user, query); repeatable.")
    var entity: [String] = []

    @Flag(help: "Wait until every accepted incident has concluded.")
    var wait = false

    @Option(help: "Give up after this many seconds.")
    var timeout = 300.0

    func run() throws {
        let lines = try inputLines()
        let loop = try EventLoop()
        let session = SubmitSession(lines: lines, wait: wait)
        StreamConnection.connect(loop: loop, host: intake.host, port: intake.port) { result in
            switch result {
            case .failure(let error):
                printError("cannot reach the coordinator at \(intake): \(error)")
                session.failed = true
            case .success(let stream):
                session.start(stream, loop: loop)
            }
        }
        let deadline = try LoopTimer(loop: loop)
        deadline.unref()
        deadline.start(afterMilliseconds: UInt64(timeout * 1000)) {
            printError("timed out after \(timeout)s with \(session.unanswered) unanswered and \(session.unconcluded) unconcluded")
            session.failed = true
            loop.stop()
        }
        loop.run()
        if session.failed || session.rejected > 0 { throw ExitCode(1) }
    }

    private func inputLines() throws -> [String] {
        if let category {
            var object: [String: Any] = ["category": category, "severity": severity, "service": service, "region": region]
            object["entities"] = try entity.map { pair -> [String: String] in
                guard let equals = pair.firstIndex(of: "=") else { throw ValidationError("--entity `\(pair)` must be TYPE=VALUE") }
                return ["type": String(pair[..<equals]), "value": String(pair[pair.index(after: equals)...])]
            }
            return [String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)]
        }
        let data: Data
        if let file, file != "-" {
            guard let contents = FileManager.default.contents(atPath: file) else { throw ValidationError("\(file): cannot read") }
            data = contents
        } else {
            data = FileHandle.standardInput.readDataToEndOfFile()
        }
        return String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).map(String.init).filter { !$0.allSatisfy(\.isWhitespace) }
    }
}

/// The client side of one submit run: numbered refs to match replies, a bounded window of
/// unanswered lines, and backoff on "overloaded".
final class SubmitSession {
    private var pending: [(ref: String, line: String)]
    private let wait: Bool
    private var stream: StreamConnection?
    private var inFlight: [String: String] = [:]
    private var awaitingConclusion = Set<UInt64>()
    private var concludedEarly = Set<UInt64>()
    private var retryTimer: LoopTimer?
    private var backoff = 0.05
    private let window = 512
    var rejected = 0
    var failed = false

    init(lines: [String], wait: Bool) {
        self.wait = wait
        pending = lines.enumerated().map { index, line in
            let ref = "line-\(index + 1)"
            guard var object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else { return (ref, line) }
            if object["ref"] == nil { object["ref"] = ref }
            let tagged = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])).map { String(decoding: $0, as: UTF8.self) } ?? line
            return ("\(object["ref"]!)", tagged)
        }
    }

    var unanswered: Int { pending.count + inFlight.count }
    var unconcluded: Int { awaitingConclusion.count }

    func start(_ stream: StreamConnection, loop: EventLoop) {
        self.stream = stream
        retryTimer = try? LoopTimer(loop: loop)
        var splitter = LineSplitter()
        stream.onRead = { [unowned self] bytes in
            try? splitter.feed(bytes) { self.received($0) }
        }
        stream.onClose = { [unowned self] error in
            if self.unanswered > 0 || !self.awaitingConclusion.isEmpty {
                printError("the coordinator closed the connection\(error.map { ": \($0)" } ?? "")")
                self.failed = true
            }
            self.retryTimer?.close()
        }
        try? stream.startReading()
        if wait { stream.write("{\"op\":\"watch\"}\n") }
        sendMore()
    }

    private func sendMore() {
        guard let stream else { return }
        while inFlight.count < window, !pending.isEmpty {
            let (ref, line) = pending.removeFirst()
            inFlight[ref] = line
            stream.write(line + "\n")
        }
        finishIfDone()
    }

    private func received(_ line: String) {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else { return }
        if object["event"] as? String == "concluded" {
            print(line)
            if let id = (object["id"] as? NSNumber)?.uint64Value, awaitingConclusion.remove(id) == nil { concludedEarly.insert(id) }
            finishIfDone()
            return
        }
        if object["watching"] != nil { return }
        let ref = object["ref"].map { "\($0)" }
        if object["ok"] as? Bool == true {
            print(line)
            if let ref { inFlight[ref] = nil }
            if wait, let id = (object["id"] as? NSNumber)?.uint64Value, concludedEarly.remove(id) == nil { awaitingConclusion.insert(id) }
            backoff = 0.05
        } else if object["retry"] as? Bool == true, let ref, let original = inFlight.removeValue(forKey: ref) {
            // Overloaded or shutting down: try the same line again after a while.
            pending.insert((ref, original), at: 0)
            retryTimer?.start(afterMilliseconds: UInt64(backoff * 1000)) { [unowned self] in self.sendMore() }
            backoff = min(backoff * 2, 2)
            return
        } else {
            print(line)
            rejected += 1
            if let ref { inFlight[ref] = nil }
        }
        sendMore()
    }

    private func finishIfDone() {
        guard pending.isEmpty, inFlight.isEmpty, awaitingConclusion.isEmpty else { return }
        stream?.close()
        stream = nil
    }
}
