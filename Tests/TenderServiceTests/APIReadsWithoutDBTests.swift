import Dispatch
import Foundation
import Logging
import Testing
import TenderCore
@testable import TenderHTTP
@testable import TenderService
import TenderStore
import TenderUV

/// Without `--db` the coordinator's store is a shared in-memory database: the HTTP API reads it
/// through a connection of its own and never waits on the loop for the store's writer thread.
@Suite struct APIReadsWithoutDBTests {
    /// A writer thread held inside a job until `release`; `heldToTheEnd` tells whether the job
    /// was still held when released (false: it gave up waiting, i.e. something waited for it).
    final class HeldWriter: @unchecked Sendable {
        private let gate = DispatchSemaphore(value: 0)
        private let lock = NSLock()
        private var gaveUp = false

        init(_ writer: StoreWriter) {
            let entered = DispatchSemaphore(value: 0)
            writer.read({ [self] _ throws(StoreFailure) in
                entered.signal()
                // The timeout only stops a broken implementation from hanging the suite.
                let timedOut = gate.wait(timeout: .now() + 20) == .timedOut
                lock.lock()
                gaveUp = timedOut
                lock.unlock()
            }) { _ in }
            entered.wait()
        }

        func release() -> Bool {
            gate.signal()
            lock.lock()
            defer { lock.unlock() }
            return !gaveUp
        }
    }

    @Test func readsAnswerWhileTheWriterIsBusyAndDecisionsWaitForIt() throws {
        let loop = try EventLoop()
        let path = SharedMemoryDatabase.newPath()
        #expect(SharedMemoryDatabase.isSharedMemory(path))
        let store = try CoordinatorStore(path: path, loop: loop)
        var config = CoordinatorConfig()
        config.specialistPort = 0
        let coordinator = try Coordinator(config: config, loop: loop, store: store, key: .development, logger: Logger(label: "test"))
        let submission = IncidentSubmission(category: .network, severity: .high, service: "api", region: "eu", entities: [.ip("203.0.113.7")])
        coordinator.submit(submission) { _ in }
        store.writer.drain()
        let backend = try CoordinatorAPIBackend(coordinator: coordinator)
        #expect(backend.reader != nil, "no read connection of its own to the in-memory store")

        // The writer is now stuck in a job, with a write queued behind it: a read through the
        // writer would wait for both.
        let held = HeldWriter(store.writer)
        coordinator.submit(submission) { _ in }
        let page = backend.incidents(matching: IncidentQuery())
        let timeline = backend.timeline(of: page.incidents.first?.id ?? 0)
        let approvals = backend.approvals()
        var decided: DecisionOutcome?
        backend.decide(approval: "1", .approve, actor: "test") { decided = $0 }
        let decidedWhileHeld = decided
        #expect(held.release(), "a read waited for the store's writer thread")

        #expect(page.incidents.map(\.category) == ["network"])
        #expect(timeline?.events.first?.kind == "received")
        #expect(approvals.isEmpty)
        // The decision is made on the writer's thread, in order: no answer before it ran.
        #expect(decidedWhileHeld == nil)
        store.writer.drain()
        store.writer.deliverCompletions()
        #expect(decided == .notFound)
        store.close()
    }

    @Test func aPrivateMemoryDatabaseIsNotReadThroughTheWriter() throws {
        let loop = try EventLoop()
        let store = try CoordinatorStore(path: ":memory:", loop: loop)
        var config = CoordinatorConfig()
        config.specialistPort = 0
        let coordinator = try Coordinator(config: config, loop: loop, store: store, key: .development, logger: Logger(label: "test"))
        let backend = try CoordinatorAPIBackend(coordinator: coordinator)
        let held = HeldWriter(store.writer)
        // Nothing to read it with: the answer is empty, at once.
        #expect(backend.incidents(matching: IncidentQuery()).incidents.isEmpty)
        #expect(held.release())
        store.close()
    }
}
