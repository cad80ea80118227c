import ArgumentParser
import Foundation
import TenderCore
import TenderService
import TenderUV

/// `tender submit`: send incidents to a running coordinator's intake and print its replies.
struct SubmitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Send incidents (JSON lines from a file or stdin, or one from flags) to a coordinator.",
        discussion: """
        Prints the coordinator's reply to each incident as a JSON line, in input order, with \
        "line" the input line number. Each line is sent under a ref (its own, or one made \
        unique to this run), so lines answered "overloaded" are retried with backoff, and \
        after a lost connection the unanswered ones are sent again on a new connection: a ref \
        already stored is answered with its original id and "duplicate": true. Lines refused \
        for good are reported on stderr. With --wait, also waits for every accepted incident \
        to conclude and prints how it ended. Exit status 1 if any line was not accepted.
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
        // Line-buffered: every reply is out the moment it is printed, even if we are killed.
        setvbuf(stdout, nil, _IOLBF, 0)
        let lines = try inputLines()
        let loop = try EventLoop()
        let runID = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        let session = try SubmitSession(ledger: SubmitLedger(lines: lines, runID: "submit-\(runID)"), wait: wait, intake: intake, loop: loop)
        for failure in session.ledger.localFailures {
            printError("line \(failure.inputLine): \(failure.reason)")
        }
        session.connect()
        let deadline = try LoopTimer(loop: loop)
        deadline.unref()
        deadline.start(afterMilliseconds: UInt64(timeout * 1000)) {
            printError("timed out after \(timeout)s with \(session.unanswered) lines unanswered and \(session.unconcluded) incidents unconcluded")
            session.timedOut = true
            loop.stop()
        }
        loop.run()
        let failed = session.ledger.localFailures.count + session.rejected + (session.timedOut ? session.unanswered : 0)
        if failed > 0 {
            printError("\(failed) of \(session.ledger.total) lines not accepted")
            throw ExitCode(1)
        }
        if session.timedOut { throw ExitCode(1) }
    }

    private func inputLines() throws -> [String] {
        if let category {
            guard let category = IncidentCategory(name: category) else {
                throw ValidationError("--category `\(category)` is not one of \(IncidentCategory.allCases.map(\.name).joined(separator: ", "))")
            }
            guard let severity = Severity(name: severity) else {
                throw ValidationError("--severity `\(severity)` is not one of \(Severity.allCases.map(\.name).joined(separator: ", "))")
            }
            let entities = try entity.map { pair -> Entity in
                guard let equals = pair.firstIndex(of: "="), let entity = Entity(type: String(pair[..<equals]), value: String(pair[pair.index(after: equals)...])) else {
                    throw ValidationError("--entity `\(pair)` must be TYPE=VALUE with TYPE one of ip, host, service, user, query")
                }
                return entity
            }
            return [IncidentSubmission(category: category, severity: severity, service: service, region: region, entities: entities).jsonLine]
        }
        let data: Data
        if let file, file != "-" {
            guard let contents = FileManager.default.contents(atPath: file) else { throw ValidationError("\(file): cannot read") }
            data = contents
        } else {
            data = FileHandle.standardInput.readDataToEndOfFile()
        }
        // Split on \n only, so that line numbers are the file's.
        return String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map { String($0.hasSuffix("\r") ? $0.dropLast() : $0) }
    }
}

/// The client side of one submit run: the I/O around a `SubmitLedger` (which decides what to
/// send and what replies mean). Backs off on "overloaded" and reconnects after a lost
/// connection, resending unanswered lines under the same refs, until every line has its answer
/// or `--timeout` passes.
final class SubmitSession {
    private(set) var ledger: SubmitLedger
    private let wait: Bool
    private let intake: HostPort
    private let loop: EventLoop
    private var stream: StreamConnection?
    private var awaitingConclusion = Set<UInt64>()
    private var concludedEarly = Set<UInt64>()
    private let retryTimer: LoopTimer
    private var retryScheduled = false
    private var backoff = Backoff()
    private let window = 512
    var rejected = 0
    var timedOut = false
    private var finished = false

    /// Exponential backoff, 50 ms doubling to 2 s, reset by progress.
    struct Backoff {
        var seconds = 0.05
        mutating func next() -> Double {
            defer { seconds = min(seconds * 2, 2) }
            return seconds
        }
        mutating func reset() { seconds = 0.05 }
    }

    init(ledger: SubmitLedger, wait: Bool, intake: HostPort, loop: EventLoop) throws {
        self.ledger = ledger
        self.wait = wait
        self.intake = intake
        self.loop = loop
        retryTimer = try LoopTimer(loop: loop)
    }

    var unanswered: Int { ledger.pendingCount + ledger.inFlightCount }
    var unconcluded: Int { awaitingConclusion.count }

    func connect() {
        guard !finishIfDone() else { return }
        StreamConnection.connect(loop: loop, host: intake.host, port: intake.port) { [unowned self] result in
            switch result {
            case .failure(let error):
                printError("cannot reach the coordinator at \(self.intake): \(error); retrying")
                self.scheduleRetry { self.connect() }
            case .success(let stream):
                self.start(stream)
            }
        }
    }

    private func start(_ stream: StreamConnection) {
        self.stream = stream
        ledger.connected(reservingWatch: wait)
        var splitter = LineSplitter()
        stream.onRead = { [unowned self] bytes in
            try? splitter.feed(bytes) { self.received($0) }
        }
        stream.onClose = { [unowned self, unowned stream] error in
            guard self.stream === stream else { return }
            self.stream = nil
            guard !self.finished else { return }
            // Unanswered lines go back in the queue; their refs make resending them safe.
            self.ledger.connectionLost()
            printError("the coordinator closed the connection\(error.map { ": \($0)" } ?? ""); reconnecting with \(self.unanswered) lines unanswered")
            self.scheduleRetry { self.connect() }
        }
        try? stream.startReading()
        if wait { stream.write("{\"op\":\"watch\"}\n") }
        sendMore()
    }

    private func sendMore() {
        guard let stream, !retryScheduled else { return }
        for line in ledger.nextToSend(window: window) { stream.write(line + "\n") }
        _ = finishIfDone()
    }

    private func scheduleRetry(_ action: @escaping () -> Void) {
        guard !retryScheduled else { return }
        retryScheduled = true
        retryTimer.start(afterMilliseconds: UInt64(backoff.next() * 1000)) { [unowned self] in
            self.retryScheduled = false
            action()
        }
    }

    private func received(_ text: String) {
        guard let reply = try? JSONDecoder().decode(SubmitLedger.Reply.self, from: Data(text.utf8)) else { return }
        if reply.event == "concluded" {
            print(text)
            if let id = reply.id, awaitingConclusion.remove(id) == nil { concludedEarly.insert(id) }
            _ = finishIfDone()
            return
        }
        switch ledger.received(reply) {
        case .accepted(let entry, let id, let duplicate):
            print(SubmitOutputLine(reply, line: entry.inputLine).encoded)
            // A duplicate's incident may have concluded long ago: its conclusion is not awaited.
            if wait, !duplicate, concludedEarly.remove(id) == nil { awaitingConclusion.insert(id) }
            backoff.reset()
        case .retry:
            // Overloaded, shutting down or store trouble: the line is queued again; pause sending.
            scheduleRetry { [unowned self] in self.sendMore() }
            return
        case .failed(let entry, let reason):
            print(SubmitOutputLine(reply, line: entry.inputLine).encoded)
            printError("line \(entry.inputLine): \(reason)")
            rejected += 1
        case .other:
            if reply.ok == false, reply.line == nil, let error = reply.error {
                // Refused as a connection (too many intake connections): it closes; we reconnect.
                printError("the coordinator refused the connection: \(error)")
            }
            return
        }
        sendMore()
    }

    /// Close once every line is answered and every awaited conclusion arrived.
    @discardableResult
    private func finishIfDone() -> Bool {
        guard ledger.isSettled, awaitingConclusion.isEmpty else { return false }
        finished = true
        stream?.close()
        stream = nil
        retryTimer.close()
        return true
    }
}

/// A reply as `submit` prints it: the coordinator's reply, with `line` the input line number.
struct SubmitOutputLine: Encodable {
    var ok: Bool?
    var id: UInt64?
    var duplicate: Bool?
    var error: String?
    var retry: Bool?
    var line: Int
    var ref: String?

    init(_ reply: SubmitLedger.Reply, line: Int) {
        ok = reply.ok
        id = reply.id
        duplicate = reply.duplicate
        error = reply.error
        retry = reply.retry
        self.line = line
        ref = reply.ref
    }

    var encoded: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
