#if canImport(Glibc)
import Glibc
#endif
import Foundation
import TenderCore
import TenderStore
import TenderUV

/// Pages a person about an escalated incident: runs the notify command (argv, no shell) with the
/// incident's JSON on stdin. The page is made durable first; a failed delivery (non-zero exit,
/// timeout, program missing) is recorded with its error and retried on `PageSchedule`, so a page
/// is never lost silently, not even across a restart (`resume`). Loop thread only.
public final class Pager {
    private let loop: EventLoop
    private let writer: StoreWriter
    private let clock: ExecutionClock
    private let argv: [String]
    private let schedule: PageSchedule
    private let timeoutSeconds: Double
    private var nextPage: Int64
    private var attempts: [Int64: Int] = [:]
    private var payloads: [Int64: String] = [:]
    private var running: [Int64: CommandRun] = [:]
    public var log: (String) -> Void = { _ in }
    /// Called on the loop thread when a page has been delivered.
    public var onDelivered: (Int64) -> Void = { _ in }

    public init(loop: EventLoop, writer: StoreWriter, clock: ExecutionClock, argv: [String], ids: StoreIDs,
                schedule: PageSchedule = PageSchedule(), timeoutSeconds: Double = 30) {
        self.loop = loop
        self.writer = writer
        self.clock = clock
        self.argv = argv
        self.schedule = schedule
        self.timeoutSeconds = timeoutSeconds
        nextPage = ids.page + 1
    }

    /// Pages not yet delivered (queued or retrying).
    public var outstanding: Int { payloads.count }

    /// Page about `incident` with `payload` (JSON); returns the page id.
    @discardableResult
    public func page(incident: UInt64, payload: String) -> Int64 {
        let id = nextPage
        nextPage += 1
        payloads[id] = payload
        writer.submit(.pageQueued(id: id, incident: incident, payload: payload, at: clock.now.seconds)) { [weak self] _ in
            // Deliver even if the store failed: a page matters more than its record.
            self?.attempt(id)
        }
        return id
    }

    /// Deliver pages a previous run left undelivered.
    public func resume(_ pages: [PageRow]) {
        for page in pages where payloads[page.id] == nil {
            nextPage = max(nextPage, page.id + 1)
            payloads[page.id] = page.payload
            attempts[page.id] = page.attempts
            attempt(page.id)
        }
    }

    private func attempt(_ id: Int64) {
        guard let payload = payloads[id], running[id] == nil else { return }
        guard let input = Self.inputFile(payload) else {
            failed(id, "cannot write the page to a temporary file: errno \(errno)")
            return
        }
        let run = CommandRun(loop: loop, argv: argv, environment: ["PATH=/usr/local/bin:/usr/bin:/bin", "TENDER_PAGE=\(id)"],
                             timeoutSeconds: timeoutSeconds, graceSeconds: 5, cap: 4096, stdinDescriptor: input)
        running[id] = run
        run.start { [weak self] exit in
            close(input)
            guard let self else { return }
            self.running[id] = nil
            switch exit {
            case .succeeded:
                self.payloads[id] = nil
                self.attempts[id] = nil
                self.log("page \(id) delivered")
                self.writer.submit(.pageAttempted(id: id, error: nil, at: self.clock.now.seconds))
                self.onDelivered(id)
            case .failed(let status, let output):
                self.failed(id, "notify command exited \(status): \(output.suffix(500))")
            case .timedOut:
                self.failed(id, "notify command timed out after \(self.timeoutSeconds) s")
            }
        }
    }

    private func failed(_ id: Int64, _ error: String) {
        let count = (attempts[id] ?? 0) + 1
        attempts[id] = count
        let delay = schedule.delay(afterFailedAttempts: count)
        log("page \(id) attempt \(count) failed: \(error); retrying in \(delay) s")
        writer.submit(.pageAttempted(id: id, error: error, at: clock.now.seconds))
        clock.schedule(at: clock.now + delay) { [weak self] in self?.attempt(id) }
    }

    /// The payload in an unlinked temporary file, opened for reading: the child's stdin.
    static func inputFile(_ payload: String) -> Int32? {
        var template = Array((NSTemporaryDirectory() + "/tender-page-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { return nil }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        let bytes = Array(payload.utf8)
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                close(fd)
                return nil
            }
            written += count
        }
        lseek(fd, 0, SEEK_SET)
        return fd
    }
}
