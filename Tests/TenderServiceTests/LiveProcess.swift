import Foundation
import Testing

/// A `tender` process started for a test: its stdout read line by line on a background thread,
/// so tests wait for readiness lines with a deadline instead of sleeping.
final class LiveProcess: @unchecked Sendable {
    let process = Process()
    /// What the background reader and the termination handler write. They hold this, not the
    /// process object, so that dropping a `LiveProcess` runs its `deinit` (which kills the child)
    /// rather than leaving a coordinator running after the test process exits.
    private final class Output: @unchecked Sendable {
        let lock = NSCondition()
        var lines: [String] = []
        var finished = false
        var exited = false
    }
    private let output = Output()
    private var lock: NSCondition { output.lock }
    private var lines: [String] { output.lines }
    private var finished: Bool { output.finished }
    private var exited: Bool { output.exited }
    private let stderrPath: String
    let name: String

    /// The `tender` binary next to the test bundle (SwiftPM builds both into .build/debug).
    static var tenderPath: String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("tender").path
    }

    /// The package root, so relative paths (specialists/, examples/) resolve.
    static var packageRoot: String {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
        }
        return FileManager.default.currentDirectoryPath
    }

    init(_ name: String, executable: String = LiveProcess.tenderPath, _ arguments: [String], stdin: FileHandle? = nil) throws {
        self.name = name
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: Self.packageRoot)
        let out = Pipe()
        // Close-on-exec in the parent, so later children (sibling specialists) do not inherit
        // this pipe and hold it open; the child gets its stdout through dup2, which clears it.
        for fd in [out.fileHandleForReading.fileDescriptor, out.fileHandleForWriting.fileDescriptor] {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        process.standardOutput = out
        stderrPath = NSTemporaryDirectory() + "tender-test-\(name)-\(UUID().uuidString).log"
        FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: stderrPath)
        if let stdin { process.standardInput = stdin }
        process.terminationHandler = { [output] _ in
            output.lock.lock()
            output.exited = true
            output.lock.broadcast()
            output.lock.unlock()
        }
        try process.run()
        let reader = Thread { [output] in
            let lock = output.lock
            var buffer = Data()
            let handle = out.fileHandleForReading
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                buffer.append(chunk)
                while let newline = buffer.firstIndex(of: 0x0A) {
                    let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                    buffer.removeSubrange(buffer.startIndex...newline)
                    lock.lock()
                    output.lines.append(line)
                    lock.broadcast()
                    lock.unlock()
                }
            }
            lock.lock()
            output.finished = true
            lock.broadcast()
            lock.unlock()
        }
        reader.start()
    }

    /// The first stdout line (from the start) matching `predicate`, waiting up to `timeout`.
    func waitForLine(timeout: Double = 60, _ predicate: (String) -> Bool) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        lock.lock()
        defer { lock.unlock() }
        while true {
            if let line = lines.first(where: predicate) { return line }
            if finished || !lock.wait(until: deadline) { return lines.first(where: predicate) }
        }
    }

    /// Lines whose JSON has `"event": event`.
    func waitForEvent(_ event: String, timeout: Double = 60, where extra: ([String: Any]) -> Bool = { _ in true }) -> [String: Any]? {
        waitForLine(timeout: timeout) { line in
            guard let object = Self.json(line), object["event"] as? String == event else { return false }
            return extra(object)
        }.flatMap(Self.json)
    }

    /// Wait until `count` lines have `"event": event`; true if they arrived in time.
    func waitForEvents(_ event: String, count: Int, timeout: Double = 60) -> Bool {
        waitForLines(count: count, timeout: timeout) { Self.json($0)?["event"] as? String == event }
    }

    /// Wait until `count` stdout lines satisfy `predicate`; true if they arrived in time.
    func waitForLines(count: Int, timeout: Double = 60, where predicate: (String) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        lock.lock()
        defer { lock.unlock() }
        while true {
            if lines.filter(predicate).count >= count { return true }
            if finished || !lock.wait(until: deadline) { return false }
        }
    }

    var allLines: [String] {
        lock.lock()
        defer { lock.unlock() }
        return lines
    }

    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    static func json(_ line: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
    }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// Wait for exit up to `timeout`; nil if it is still running.
    func waitForExit(timeout: Double = 60) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        lock.lock()
        // Exit, not end of stdout: a pipe's write end may have leaked into a sibling process.
        while !exited, lock.wait(until: deadline) {}
        let done = exited
        lock.unlock()
        guard done else { return nil }
        process.waitUntilExit()
        // Let the reader take the last lines the process wrote.
        lock.lock()
        while !finished, lock.wait(until: Date().addingTimeInterval(10)) {}
        lock.unlock()
        return process.terminationStatus
    }

    /// Make sure nothing outlives the test.
    func stop() {
        if process.isRunning {
            signal(SIGKILL)
            process.waitUntilExit()
        }
    }

    deinit { stop() }
}

/// A coordinator on ephemeral ports, ready when its "ready" line says where it listens.
struct LiveCoordinator {
    let process: LiveProcess
    let specialists: String
    let intake: String

    init(_ extra: [String] = []) throws {
        // `extra` comes last, so a test can pin --listen (argument-parser keeps the last value).
        // No approval gate unless a test asks: nobody approves here. The simulated executor
        // injects no faults by default, and the specialists run with --failure-scale 0.
        process = try LiveProcess("coordinator", ["coordinator", "--listen", "127.0.0.1:0", "--intake", "127.0.0.1:0", "--log-level", "info",
                                                  "--approval-risk", "none"] + extra)
        guard let ready = process.waitForEvent("ready"), let specialists = ready["specialists"] as? String, let intake = ready["intake"] as? String else {
            throw LiveTestError("coordinator did not become ready: \(process.stderr)")
        }
        self.specialists = specialists
        self.intake = intake
    }

    /// Start a specialist and wait until it is connected.
    func specialist(_ kind: String, name: String, _ extra: [String] = []) throws -> LiveProcess {
        let process = try LiveProcess(name, ["specialist", "--profile", "specialists/\(kind).yaml", "--name", name, "--coordinator", specialists, "--log-level", "info"] + extra)
        guard process.waitForEvent("connected") != nil else { throw LiveTestError("\(name) did not connect: \(process.stderr)") }
        return process
    }
}

struct LiveTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// JSON lines of incidents for `tender submit`.
func incidentLines(_ count: Int, categories: [String] = ["security", "performance", "network", "database"]) -> String {
    (0..<count).map { index in
        let category = categories[index % categories.count]
        return #"{"category":"\#(category)","severity":"high","service":"api","region":"eu-west-1","entities":[{"type":"ip","value":"203.0.113.\#(index % 250)"},{"type":"host","value":"web-\#(index)"},{"type":"user","value":"u\#(index)"},{"type":"query","value":"q\#(index)"},{"type":"service","value":"api"}]}"#
    }.joined(separator: "\n") + "\n"
}

func writeTemporary(_ contents: String, suffix: String = ".jsonl") -> String {
    let path = NSTemporaryDirectory() + "tender-test-\(UUID().uuidString)\(suffix)"
    FileManager.default.createFile(atPath: path, contents: Data(contents.utf8))
    return path
}
