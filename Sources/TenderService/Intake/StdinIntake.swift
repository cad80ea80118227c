import TenderCore
import Foundation
import Logging
import TenderUV

/// Incidents as JSON lines on standard input, replies as JSON lines on standard output.
///
/// A dedicated thread does the blocking reads (stdin may be a file, a pipe or a terminal) and
/// hands lines to the loop through an async handle. The hand-off queue is bounded: when the
/// coordinator answers "overloaded", the line is retried shortly and the reader thread blocks,
/// so a large file is paced rather than dropped.
public final class StdinIntake: IntakeSource {
    private unowned let coordinator: Coordinator
    private let logger: Logger
    private let lock = NSCondition()
    private var queue: [String] = []
    private var endOfInput = false
    private let capacity = 1024
    private var wakeup: LoopWakeup!
    private var retryTimer: LoopTimer
    private var stopped = false
    private var retryPending = false
    /// Called on the loop thread once stdin is exhausted and every line was answered.
    public var onFinished: (() -> Void)?
    private var outstanding = 0
    /// Replies leave in line order, whatever order the store completes in.
    private var replies = ReplySequencer()
    /// The ordinal of the line at the head of the queue when it is being retried.
    private var retriedOrdinal: Int?
    /// Guarded by `lock`: set before the async handle is closed, so the reader stops waking it.
    private var handleClosed = false

    public init(coordinator: Coordinator, loop: EventLoop, logger: Logger) throws {
        self.coordinator = coordinator
        self.logger = logger
        retryTimer = try LoopTimer(loop: loop)
        wakeup = try LoopWakeup(loop: loop) { [unowned self] in self.drain() }
        coordinator.register(self)
        let reader = Thread { [unowned self] in self.readLines() }
        reader.name = "tender-stdin"
        reader.start()
    }

    private func readLines() {
        while let line = readLine(strippingNewline: true) {
            lock.lock()
            while queue.count >= capacity { lock.wait() }
            queue.append(line)
            // Woken under the lock, so `close()` cannot free the handle in between.
            if !handleClosed { wakeup.wake() }
            lock.unlock()
        }
        lock.lock()
        endOfInput = true
        if !handleClosed { wakeup.wake() }
        lock.unlock()
    }

    private func drain() {
        guard !stopped, !retryPending else { return }
        while true {
            lock.lock()
            guard let line = queue.first else {
                let finished = endOfInput
                lock.unlock()
                if finished, outstanding == 0 { finish() }
                return
            }
            lock.unlock()
            // The ordinal is given when the line is taken, so a line retried after "overloaded"
            // keeps the number it had.
            let ordinal = retriedOrdinal ?? replies.receive()
            retriedOrdinal = nil
            guard !line.allSatisfy(\.isWhitespace) else {
                take()
                release(nil, to: ordinal)
                continue
            }
            switch IncidentSubmission.parse(jsonLine: line, limits: coordinator.config.incidentLimits) {
            case .failure(let error):
                take()
                release(IntakeReply.rejected(error.description, reference: error.reference, retryable: false).jsonLine(line: ordinal), to: ordinal)
            case .success(let submission):
                var overloaded = false
                outstanding += 1
                coordinator.submit(submission) { [unowned self] reply in
                    self.outstanding -= 1
                    if case .rejected("overloaded", _, _) = reply {
                        overloaded = true
                        return
                    }
                    self.release(reply.jsonLine(line: ordinal), to: ordinal)
                    if self.outstanding == 0 { self.wakeup.wake() }
                }
                if overloaded {
                    retriedOrdinal = ordinal
                    // Keep the line and try again shortly; the reader blocks meanwhile.
                    retryPending = true
                    retryTimer.start(afterMilliseconds: 20) { [unowned self] in
                        self.retryPending = false
                        self.drain()
                    }
                    return
                }
                take()
            }
        }
    }

    /// Queue the reply to line `ordinal` and write whatever is now due, in line order.
    private func release(_ text: String?, to ordinal: Int) {
        for line in replies.reply(text, to: ordinal) { write(line) }
    }

    /// One reply line on stdout, written at once so it interleaves correctly with event lines.
    private func write(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    private func take() {
        lock.lock()
        queue.removeFirst()
        lock.signal()
        lock.unlock()
    }

    private func finish() {
        guard !stopped else { return }
        stopped = true
        onFinished?()
    }

    public func stopIntake() {
        stopped = true
        retryTimer.stop()
    }

    public func close() {
        stopIntake()
        retryTimer.close()
        lock.lock()
        handleClosed = true
        lock.unlock()
        wakeup.close()
    }
}
