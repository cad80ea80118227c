import Foundation
import Logging
import TenderUV

/// Spawns specialist processes (argv, never a shell) and supervises them: a crashed one is
/// restarted with exponential backoff; one that exits with status 2 (bad profile, refused key)
/// is left down, since restarting would fail the same way. Children die with the pool, even
/// after a `kill -9` of it: each gets the pool's pid in `TENDER_PARENT_PID` and binds itself to
/// it (`ParentLink`).
public final class SpecialistPool {
    public struct Member: Sendable {
        public var name: String
        /// Arguments after the executable path.
        public var arguments: [String]
        public init(name: String, arguments: [String]) {
            self.name = name
            self.arguments = arguments
        }
    }

    private final class Slot {
        let member: Member
        var process: ChildProcess?
        var failures = 0
        var startedAt = 0.0
        var restartTimer: LoopTimer?
        init(member: Member) { self.member = member }
    }

    private let loop: EventLoop
    private let executable: String
    private let logger: Logger
    private let output: ChildProcess.Output
    private var slots: [Slot]
    private var stopping = false
    private var onStopped: (() -> Void)?
    private var killTimer: LoopTimer?
    public private(set) var restarts = 0
    /// Called on the loop thread each time a specialist process starts (name, pid).
    public var onStarted: ((String, Int32) -> Void)?
    /// Exit statuses that mean "do not restart".
    public var permanentFailureStatuses: Set<Int64> = [2]

    public init(loop: EventLoop, executable: String, members: [Member], output: ChildProcess.Output = .inherit, logger: Logger) {
        self.loop = loop
        self.executable = executable
        self.logger = logger
        self.output = output
        slots = members.map(Slot.init)
    }

    public var running: Int { slots.filter { $0.process != nil }.count }
    public var pids: [Int32] { slots.compactMap { $0.process?.pid } }

    public func start() {
        for slot in slots { spawn(slot) }
    }

    private func spawn(_ slot: Slot) {
        guard !stopping else { return }
        do {
            slot.startedAt = EventLoop.monotonicSeconds()
            // The pid in the environment lets the child ask to die with this process (ParentLink).
            slot.process = try ChildProcess(
                loop: loop, executable: executable, arguments: slot.member.arguments,
                environment: ParentLink.environment(ProcessInfo.processInfo.environment), stdout: output, stderr: .inherit
            ) { [unowned self] status, signal in
                self.exited(slot, status: status, signal: signal)
            }
            logger.info("started specialist", metadata: ["name": "\(slot.member.name)", "pid": "\(slot.process!.pid)"])
            onStarted?(slot.member.name, slot.process!.pid)
        } catch {
            logger.error("cannot start specialist", metadata: ["name": "\(slot.member.name)", "error": "\(error)"])
            scheduleRestart(slot)
        }
    }

    private func exited(_ slot: Slot, status: Int64, signal: Int32) {
        slot.process = nil
        if stopping {
            if running == 0 { finishStop() }
            return
        }
        if permanentFailureStatuses.contains(status) {
            logger.error("specialist exited with a configuration error; not restarting", metadata: ["name": "\(slot.member.name)", "status": "\(status)"])
            return
        }
        logger.warning("specialist exited; restarting with backoff", metadata: ["name": "\(slot.member.name)", "status": "\(status)", "signal": "\(signal)"])
        // A specialist that ran for a while earned a fresh backoff.
        if EventLoop.monotonicSeconds() - slot.startedAt > 10 { slot.failures = 0 }
        scheduleRestart(slot)
    }

    private func scheduleRestart(_ slot: Slot) {
        guard !stopping else { return }
        let delay = min(0.25 * pow(2, Double(slot.failures)), 30)
        slot.failures += 1
        restarts += 1
        if slot.restartTimer == nil { slot.restartTimer = try? LoopTimer(loop: loop) }
        slot.restartTimer?.start(afterMilliseconds: UInt64(delay * 1000)) { [unowned self] in self.spawn(slot) }
    }

    /// Send SIGTERM to every specialist, SIGKILL after `grace` seconds, then call `completion`.
    /// A second call (a second Ctrl-C) sends SIGKILL at once; `completion` stays the first one.
    public func stop(grace: Double = 5, completion: @escaping () -> Void) {
        guard !stopping else {
            for slot in slots { try? slot.process?.kill(SIGKILL) }
            return
        }
        stopping = true
        onStopped = completion
        for slot in slots {
            slot.restartTimer?.close()
            slot.restartTimer = nil
            try? slot.process?.kill(SIGTERM)
        }
        guard running > 0 else {
            finishStop()
            return
        }
        killTimer = try? LoopTimer(loop: loop)
        killTimer?.start(afterMilliseconds: UInt64(grace * 1000)) { [unowned self] in
            for slot in self.slots { try? slot.process?.kill(SIGKILL) }
        }
    }

    private func finishStop() {
        killTimer?.close()
        killTimer = nil
        let callback = onStopped
        onStopped = nil
        callback?()
    }
}
