#if canImport(Glibc)
import Glibc
#endif
import TenderUV

/// Runs each action as the program the actions file names, spawned through libuv from an argv
/// (never a shell), with `{param}` placeholders filled from the step's validated parameters.
///
/// The environment is only `PATH` and the `TENDER_*` variables. Exit 0 means success. On a
/// timeout the program gets SIGTERM, then SIGKILL after `killGraceSeconds`, and the step counts
/// as timed out. `stop` (a cancelled execution) does the same at once; the step then counts as
/// failed. stdout and stderr are captured, each capped at `outputCap` bytes.
public final class CommandDriver: StepDriver {
    private let loop: EventLoop
    private let catalog: ActionCatalog
    public var killGraceSeconds: Double
    public var outputCap: Int
    /// Runs in progress, kept alive until they finish.
    private var running: [ObjectIdentifier: CommandRun] = [:]
    /// The same runs by what they run, for `stop`.
    private var byInvocation: [StepInvocation: CommandRun] = [:]

    public init(loop: EventLoop, catalog: ActionCatalog, killGraceSeconds: Double = 5, outputCap: Int = 64 * 1024) {
        self.loop = loop
        self.catalog = catalog
        self.killGraceSeconds = killGraceSeconds
        self.outputCap = outputCap
    }

    /// The argv for an invocation, or why there is none.
    public func arguments(for invocation: StepInvocation) throws -> [String] {
        guard let command = catalog.commands[invocation.action] else {
            throw ArgvTemplate.Problem(description: "action `\(invocation.action)` is not in the actions file")
        }
        return try command.argv.map { try $0.fill(invocation.parameters) }
    }

    public func describe(_ invocation: StepInvocation) -> String {
        do {
            return try arguments(for: invocation).map(Self.quoteForDisplay).joined(separator: " ")
        } catch {
            return "\(invocation.action): \(error)"
        }
    }

    public var runsInProgress: Int { running.count }

    public func run(_ invocation: StepInvocation, completion: @escaping (StepExit) -> Void) {
        let argv: [String]
        do {
            argv = try arguments(for: invocation)
        } catch {
            completion(.failed(status: 127, output: "not run: \(error)"))
            return
        }
        var environment = invocation.environment
        environment["PATH"] = "/usr/local/bin:/usr/bin:/bin"
        let run = CommandRun(loop: loop, argv: argv, environment: environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" },
                             timeoutSeconds: invocation.timeoutSeconds, graceSeconds: killGraceSeconds, cap: outputCap)
        let key = ObjectIdentifier(run)
        running[key] = run
        byInvocation[invocation] = run
        run.start { [weak self] exit in
            self?.running[key] = nil
            self?.byInvocation[invocation] = nil
            completion(exit)
        }
    }

    /// SIGTERM now, SIGKILL after `killGraceSeconds` if it is still running.
    public func stop(_ invocation: StepInvocation) {
        byInvocation[invocation]?.stop()
    }

    /// For logs only: show an argv element so a reader sees its boundaries.
    static func quoteForDisplay(_ element: String) -> String {
        let plain = !element.isEmpty && element.allSatisfy { $0.isLetter || $0.isNumber || "-_./:=@,".contains($0) }
        return plain ? element : "'" + element.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// One spawned program: its pipes, its timeout and kill timers, and the captured output.
final class CommandRun {
    private let loop: EventLoop
    private let argv: [String]
    private let environment: [String]
    private let timeoutSeconds: Double
    private let graceSeconds: Double
    private let cap: Int
    private let stdinDescriptor: Int32?
    private var process: ChildProcess?
    private var timer: LoopTimer?
    private var output: [UInt8] = []
    private var truncated = 0
    /// Pipes not yet closed; a closed one's memory is gone, so it must not be touched again.
    private var openStreams: [ObjectIdentifier: StreamConnection] = [:]
    private var exitStatus: (status: Int64, signal: Int32)?
    private var timedOut = false
    /// Stopped on purpose (`stop`), not by the timeout.
    private var stopped = false
    private var completion: ((StepExit) -> Void)?

    init(loop: EventLoop, argv: [String], environment: [String], timeoutSeconds: Double, graceSeconds: Double, cap: Int, stdinDescriptor: Int32? = nil) {
        self.stdinDescriptor = stdinDescriptor
        self.loop = loop
        self.argv = argv
        self.environment = environment
        self.timeoutSeconds = timeoutSeconds
        self.graceSeconds = graceSeconds
        self.cap = cap
    }

    func start(_ completion: @escaping (StepExit) -> Void) {
        self.completion = completion
        do {
            let child = try ChildProcess(loop: loop, executable: argv[0], arguments: Array(argv.dropFirst()), environment: environment,
                                         stdout: .pipe, stderr: .pipe, stdinDescriptor: stdinDescriptor) { [self] status, signal in
                exitStatus = (status, signal)
                // A grandchild may hold the pipes open; give them a moment, then stop listening.
                arm(after: timedOut || stopped ? 0.05 : 1) { [self] in closeStreams() }
                finishIfDone()
            }
            process = child
            for stream in [child.stdout, child.stderr].compactMap({ $0 }) {
                let key = ObjectIdentifier(stream)
                openStreams[key] = stream
                stream.onRead = { [self] bytes in capture(bytes) }
                stream.onClose = { [self] _ in
                    openStreams[key] = nil
                    finishIfDone()
                }
                try stream.startReading()
            }
            arm(after: timeoutSeconds) { [self] in expire() }
        } catch {
            finish(.failed(status: 127, output: "not started: \(error)"))
        }
    }

    private func capture(_ bytes: UnsafeRawBufferPointer) {
        let room = max(0, cap - output.count)
        output.append(contentsOf: bytes.prefix(room))
        truncated += max(0, bytes.count - room)
    }

    private func expire() {
        guard exitStatus == nil else { return }
        timedOut = true
        try? process?.kill(SIGTERM)
        arm(after: graceSeconds) { [self] in
            if exitStatus == nil { try? process?.kill(SIGKILL) }
        }
    }

    /// End the program early: SIGTERM, then SIGKILL after the grace period.
    func stop() {
        guard exitStatus == nil, !stopped, completion != nil else { return }
        stopped = true
        try? process?.kill(SIGTERM)
        arm(after: graceSeconds) { [self] in
            if exitStatus == nil { try? process?.kill(SIGKILL) }
        }
    }

    private func arm(after seconds: Double, _ body: @escaping () -> Void) {
        if timer == nil { timer = try? LoopTimer(loop: loop) }
        timer?.start(afterMilliseconds: UInt64(max(0, seconds) * 1000), body)
    }

    private func closeStreams() {
        for stream in openStreams.values { stream.abort() }
    }

    private func finishIfDone() {
        guard let exitStatus, openStreams.isEmpty else { return }
        var text = String(decoding: output, as: UTF8.self)
        if truncated > 0 { text += "\n[\(truncated) more bytes not kept]" }
        if stopped { text += "\n[stopped: the execution was cancelled]" }
        if timedOut {
            finish(.timedOut(output: text))
        } else if exitStatus.status == 0 && exitStatus.signal == 0 {
            finish(.succeeded(output: text))
        } else {
            finish(.failed(status: exitStatus.signal != 0 ? 128 + Int(exitStatus.signal) : Int(exitStatus.status), output: text))
        }
    }

    private func finish(_ exit: StepExit) {
        timer?.close()
        timer = nil
        let callback = completion
        completion = nil
        callback?(exit)
    }
}
