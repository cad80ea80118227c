import Foundation
import Logging
import Testing
import TenderCore
import TenderExecutor
@testable import TenderService
import TenderStore
import TenderUV
import TenderWire

/// Time for the executor that moves only when the test says.
final class ManualExecutionClock: ExecutionClock {
    var now = Instant(seconds: 1_000)
    private var due: [(at: Instant, sequence: Int, body: () -> Void)] = []
    private var sequence = 0

    func schedule(at instant: Instant, _ body: @escaping () -> Void) {
        sequence += 1
        due.append((instant, sequence, body))
    }

    /// Move to `instant`, running what falls due, in time order.
    func advance(to instant: Instant) {
        while let next = due.filter({ $0.at <= instant }).min(by: { ($0.at, $0.sequence) < ($1.at, $1.sequence) }) {
            due.removeAll { $0.sequence == next.sequence }
            now = max(now, next.at)
            next.body()
        }
        now = instant
    }
}

/// A coordinator restarted on a store that a `kill -9` left at one of its awkward instants. The
/// loop never runs: store completions are delivered by draining the writer, executor time is a
/// manual clock, and the pool's return is `announceRecovered()` called by hand.
final class RestartRig {
    let path = NSTemporaryDirectory() + "tender-restart-\(UUID().uuidString).db"
    let clock = ManualExecutionClock()
    var loop: EventLoop!
    var store: CoordinatorStore!
    var coordinator: Coordinator!
    var conclusions: [UInt64: [String]] = [:]

    deinit {
        store?.close()
        loop?.close()
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    static func incident(_ id: UInt64) -> Incident {
        Incident(id: IncidentID(id), category: .network, severity: .high, service: "edge", region: "eu-west-1", createdAt: .zero)
    }

    static func plan(for incident: UInt64, idempotent: Bool) -> ValidatedPlan {
        let steps = ["rate_limit", "blackhole_prefix"].map { action in
            ValidatedStep(action: action, undo: "undo_\(action)", risk: .low,
                          parameters: [TypedParameter(name: "ip", type: .ip, value: "203.0.113.9")], idempotent: idempotent)
        }
        return ValidatedPlan(incident: IncidentID(incident), specialist: "network", playbook: "absorb-flood", steps: steps)
    }

    /// What the killed process left behind, written as it would have written it.
    func crashedProcessWrote(_ records: [StoreRecord]) throws {
        let writer = try StoreWriter(path: path, notify: {})
        writer.submit(records)
        writer.close()
    }

    func incidentRecords(_ ids: [UInt64]) throws -> [StoreRecord] {
        try ids.map { .incident(id: $0, body: String(decoding: try JSONEncoder().encode(Self.incident($0)), as: UTF8.self)) }
    }

    func started(_ execution: Int64, incident: UInt64, idempotent: Bool = false) throws -> StoreRecord {
        let plan = Self.plan(for: incident, idempotent: idempotent)
        let json = String(decoding: try JSONEncoder().encode(plan), as: UTF8.self)
        return .executionStarted(id: execution, incident: incident, specialist: "network", playbook: "absorb-flood", plan: json, dryRun: false, at: 1, steps: plan.storedSteps)
    }

    func intent(_ execution: Int64, step: Int, phase: String = "apply") -> StoreRecord {
        .stepIntent(StepIntentRecord(execution: execution, step: step, phase: phase, attempt: 1, action: step == 0 ? "rate_limit" : "blackhole_prefix",
                                     params: "[]", undo: step == 0 ? "undo_rate_limit" : "undo_blackhole_prefix", idempotent: false, at: 2))
    }

    func succeeded(_ execution: Int64, step: Int, phase: String = "apply") -> StoreRecord {
        .stepResult(execution: execution, step: step, phase: phase, attempt: 1, result: "succeeded", exitStatus: 0, output: "", at: 3)
    }

    /// Start a coordinator with an executor on the store, as `tender coordinator --db` does.
    func restart() throws {
        loop = try EventLoop()
        store = try CoordinatorStore(path: path, loop: loop)
        var settings = ExecutionSettings(profiles: SpecialistProfiles([]))
        settings.driver = .simulated(seed: 7, faultRate: 0)
        settings.gate = ApprovalGate(threshold: nil)
        let executor = try PlanExecutor(settings: settings, loop: loop, store: store, logger: Logger(label: "test"), clock: clock)
        var config = CoordinatorConfig()
        config.specialistPort = 0
        coordinator = try Coordinator(config: config, loop: loop, store: store, key: .development, logger: Logger(label: "test"), planExecutor: executor)
        coordinator.observeConclusions { [unowned self] event in conclusions[event.incident.rawValue, default: []].append(event.conclusion) }
        try coordinator.start()
        settle()
    }

    /// Deliver store completions and let executor time pass until nothing moves.
    func settle() {
        for _ in 0..<200 {
            store.writer.drain()
            clock.advance(to: clock.now + 1)
            if store.writer.pendingWrites == 0 && coordinator.planExecutor?.inFlight == 0 { break }
        }
        store.writer.drain()
    }

    func statuses() throws -> [UInt64: String] {
        let database = try Database(path: path, create: false, readOnly: true)
        return Dictionary(uniqueKeysWithValues: try database.rows("SELECT id, status FROM incidents").map { (UInt64($0.integer(0) ?? 0), $0.text(1) ?? "") })
    }

    func steps(of execution: Int64) throws -> [String] {
        let database = try Database(path: path, create: false, readOnly: true)
        return try database.rows("SELECT phase, step, attempt FROM steps WHERE execution = ? ORDER BY rowid", [.integer(execution)])
            .map { "\($0.text(0) ?? "") \(($0.integer(1) ?? 0) + 1)/\($0.integer(2) ?? 0)" }
    }

    func outcome(of execution: Int64) throws -> String? {
        let database = try Database(path: path, create: false, readOnly: true)
        return try database.rows("SELECT outcome FROM executions WHERE id = ?", [.integer(execution)]).first?.text(0)
    }
}

/// Issue 9's crash recovery at the instants a `kill -9` can leave behind, each driven through the
/// real coordinator restart path: every acknowledged incident ends concluded once or back in
/// auction, and none is left open with nothing to move it.
@Suite struct RestartRecoveryTests {
    /// The root cause of the incident left open after repeated restarts (INC-24): an execution
    /// whose log shows it already over finishes as soon as recovery starts it, and its outcome
    /// came back before its incident had been held, so it was dropped, and the incident, held
    /// afterwards, was neither concluded nor re-auctioned.
    @Test func anExecutionAlreadyOverAtTheCrashStillConcludesOrReauctionsItsIncident() throws {
        let rig = RestartRig()
        try rig.crashedProcessWrote(try rig.incidentRecords([1, 2, 3, 4, 5]) + [
            // 1: every step applied; killed before the outcome was written.
            try rig.started(1, incident: 1), rig.intent(1, step: 0), rig.succeeded(1, step: 0), rig.intent(1, step: 1), rig.succeeded(1, step: 1),
            // 2: recorded, killed before its first intent (the steps may not run twice): nothing to undo.
            try rig.started(2, incident: 2),
            // 3: killed while step 1 ran: it may have taken effect and is undone.
            try rig.started(3, incident: 3), rig.intent(3, step: 0),
            // 4: applied and recorded; killed before the incident's conclusion (an older store).
            try rig.started(4, incident: 4), rig.intent(4, step: 0), rig.succeeded(4, step: 0), rig.intent(4, step: 1), rig.succeeded(4, step: 1),
            .executionFinished(id: 4, outcome: "applied", reason: nil, at: 4),
            // 5: acknowledged, killed before its auction.
        ])
        try rig.restart()

        #expect(try rig.statuses() == [1: "resolved", 2: "open", 3: "open", 4: "resolved", 5: "open"])
        #expect(rig.conclusions == [1: ["resolved"], 4: ["resolved"]])
        // Nothing that was applied ran again; only the step in flight at the crash was undone.
        #expect(try rig.steps(of: 1) == ["apply 1/1", "apply 2/1"])
        #expect(try rig.steps(of: 2).isEmpty)
        #expect(try rig.steps(of: 3) == ["apply 1/1", "undo 1/1"])
        #expect(try [1, 2, 3, 4].map { try rig.outcome(of: $0) } == ["applied", "rolled_back", "rolled_back", "applied"])
        // The rolled-back ones wait with the never-auctioned one for the pool, and none is held.
        #expect(rig.coordinator.heldForRecovery.isEmpty)
        #expect(rig.coordinator.recoveredIncidents.map(\.rawValue).sorted() == [2, 3, 5])
        rig.coordinator.announceRecovered()
        #expect(rig.coordinator.engine.openAuctions == 3)
        #expect(rig.coordinator.openIncidents == 3)
    }

    /// Resumed forward (idempotent steps) after the restart: the incident resolves once, without
    /// an auction, and the next restart finds nothing to do.
    @Test func anIdempotentExecutionResumedAfterARestartResolvesItsIncidentOnce() throws {
        let rig = RestartRig()
        try rig.crashedProcessWrote(try rig.incidentRecords([1]) + [
            try rig.started(1, incident: 1, idempotent: true), rig.intent(1, step: 0),
        ])
        try rig.restart()
        #expect(try rig.statuses() == [1: "resolved"])
        #expect(try rig.steps(of: 1) == ["apply 1/1", "apply 1/2", "apply 2/1"])
        #expect(rig.conclusions == [1: ["resolved"]])
        #expect(rig.coordinator.openIncidents == 0)

        rig.store.close()
        rig.loop.close()
        rig.conclusions = [:]
        try rig.restart()
        #expect(rig.coordinator.openIncidents == 0)
        #expect(rig.conclusions.isEmpty)
    }

    /// An execution's outcome and its incident's conclusion are one transaction: when the
    /// conclusion cannot be written (as if the process died right there), the outcome is not
    /// written either, and the next start finishes the execution from its log and concludes
    /// the incident once, without running any step again.
    @Test func anOutcomeIsNeverDurableWithoutItsIncidentsConclusion() throws {
        let rig = RestartRig()
        try rig.crashedProcessWrote(try rig.incidentRecords([1]) + [
            try rig.started(1, incident: 1, idempotent: true), rig.intent(1, step: 0),
        ])
        let database = try Database(path: rig.path)
        try database.execute("CREATE TRIGGER no_conclusions BEFORE UPDATE OF status ON incidents BEGIN SELECT RAISE(ABORT, 'disk full'); END")
        try rig.restart()
        #expect(try rig.steps(of: 1) == ["apply 1/1", "apply 1/2", "apply 2/1"])
        #expect(try rig.outcome(of: 1) == nil, "the outcome was committed without the conclusion")
        #expect(try rig.statuses() == [1: "open"])

        rig.store.close()
        rig.loop.close()
        try database.execute("DROP TRIGGER no_conclusions")
        rig.conclusions = [:]
        try rig.restart()
        #expect(try rig.outcome(of: 1) == "applied")
        #expect(try rig.statuses() == [1: "resolved"])
        #expect(try rig.steps(of: 1) == ["apply 1/1", "apply 1/2", "apply 2/1"])
        #expect(rig.conclusions == [1: ["resolved"]])
    }
}
