import Foundation
import Testing
import TenderCore
import TenderStore
@testable import TenderExecutor

/// Time that moves only when the test says.
final class ManualClock: ExecutionClock {
    var now = Instant(seconds: 1000)
    private var due: [(at: Instant, sequence: Int, body: () -> Void)] = []
    private var sequence = 0

    func schedule(at instant: Instant, _ body: @escaping () -> Void) {
        sequence += 1
        due.append((instant, sequence, body))
    }

    /// Move to `instant`, running what falls due in time order.
    func advance(to instant: Instant) {
        while let next = due.filter({ $0.at <= instant }).min(by: { ($0.at, $0.sequence) < ($1.at, $1.sequence) }) {
            due.removeAll { $0.sequence == next.sequence }
            now = max(now, next.at)
            next.body()
        }
        now = instant
    }

    func advance(by seconds: Double) { advance(to: now + seconds) }
}

/// A driver whose runs end as the test scripts them, at once.
final class ScriptedDriver: StepDriver {
    var ran: [String] = []
    var exit: (StepInvocation) -> StepExit = { _ in .succeeded(output: "ok") }

    func run(_ invocation: StepInvocation, completion: @escaping (StepExit) -> Void) {
        ran.append("\(invocation.phase.rawValue) \(invocation.step + 1) \(invocation.action)")
        completion(exit(invocation))
    }

    func describe(_ invocation: StepInvocation) -> String { invocation.action }
}

final class RunnerFixture {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tender-runner-\(UUID().uuidString)")
    var path: String { directory.appendingPathComponent("tender.db").path }
    let clock = ManualClock()
    let driver = ScriptedDriver()
    var writer: StoreWriter!
    var runner: ExecutionRunner!
    var outcomes: [Int64: (ExecutionOutcome, EscalationReason?)] = [:]

    init(gate: ApprovalGate = ApprovalGate(threshold: nil)) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        writer = try StoreWriter(path: path, notify: {})
        writer.submit(.incident(id: 1, body: "{}"))
        writer.drain()
        runner = ExecutionRunner(writer: writer, driver: driver, clock: clock, policy: ExecutionPolicy(gate: gate), ids: try StoreReader(path: path).ids())
    }

    deinit {
        writer?.close()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Let the store commit and deliver until nothing moves.
    func settle() {
        for _ in 0..<100 {
            writer.drain()
            if writer.pendingWrites == 0 { break }
        }
    }

    func execute(_ plan: ValidatedPlan) -> Int64 {
        runner.execute(plan) { [unowned self] id, outcome, escalate in outcomes[id] = (outcome, escalate) }
    }

    func reader() throws -> StoreReader { try StoreReader(path: path) }
}

@Suite struct ExecutionRunnerTests {
    @Test func appliedPlanLeavesItsWholeStepLogAndAuditInTheStore() throws {
        let fixture = try RunnerFixture()
        let id = fixture.execute(plan([step("a"), step("b")]))
        #expect(fixture.driver.ran.isEmpty, "nothing runs before the execution is recorded")
        fixture.settle()
        #expect(fixture.driver.ran == ["apply 1 a", "apply 2 b"])
        #expect(fixture.outcomes[id]?.0 == .applied)
        let log = try #require(try fixture.reader().timeline(incident: 1)?.executions.first)
        #expect(log.outcome == "applied")
        #expect(log.steps.map(\.result) == ["succeeded", "succeeded"])
        #expect(log.steps.map(\.output) == ["ok", "ok"])
        #expect(try fixture.reader().timeline(incident: 1)?.audit.map(\.what) == ["execution \(id) started: test by network", "execution \(id) applied"])
    }

    @Test func aPersonsApprovalReachesTheRunnerThroughTheStore() throws {
        let fixture = try RunnerFixture(gate: ApprovalGate(threshold: .high, timeoutSeconds: 600))
        let id = fixture.execute(plan([step("a"), step("b", risk: .high)]))
        fixture.settle()
        #expect(fixture.driver.ran == ["apply 1 a"])
        let pending = try fixture.reader().pendingApprovals()
        #expect(pending.map(\.action) == ["b"])
        _ = try ApprovalDesk.decide(pending[0].id, .approved, by: "alice", reason: "checked the dashboards", at: 1001, in: Database(path: fixture.path))
        fixture.clock.advance(by: 1)
        fixture.settle()
        #expect(fixture.driver.ran == ["apply 1 a", "apply 2 b"])
        #expect(fixture.outcomes[id]?.0 == .applied)
        let audit = try #require(try fixture.reader().timeline(incident: 1)?.audit)
        #expect(audit.contains { $0.actor == "alice" && $0.why == "checked the dashboards" })
    }

    @Test func noDecisionBeforeTheDeadlineDeniesRollsBackAndEscalates() throws {
        let fixture = try RunnerFixture(gate: ApprovalGate(threshold: .high, timeoutSeconds: 60))
        let id = fixture.execute(plan([step("a"), step("b", risk: .high)]))
        fixture.settle()
        for _ in 0..<61 {
            fixture.clock.advance(by: 1)
            fixture.settle()
        }
        #expect(fixture.driver.ran == ["apply 1 a", "undo 1 undo"])
        #expect(fixture.outcomes[id]?.1 == .approvalTimedOut)
        let approval = try #require(try fixture.reader().timeline(incident: 1)?.approvals.first)
        #expect(approval.decision == "timed_out")
        // A person too late changes nothing.
        #expect(throws: ApprovalDesk.Refused.self) { try ApprovalDesk.decide(approval.id, .approved, by: "bob", reason: nil, at: 2000, in: Database(path: fixture.path)) }
    }

    @Test func anExecutionInFlightAtACrashIsFinishedByTheNextProcess() throws {
        let fixture = try RunnerFixture()
        fixture.driver.exit = { _ in .succeeded(output: "") }
        // The first process wrote step 2's intent and died while it ran.
        let first = plan([step("a"), step("b")])
        let json = String(decoding: try JSONEncoder().encode(first), as: UTF8.self)
        fixture.writer.submit([
            .executionStarted(id: 1, incident: 1, specialist: "network", playbook: "test", plan: json, dryRun: false, at: 1),
            .stepIntent(StepIntentRecord(execution: 1, step: 0, phase: "apply", attempt: 1, action: "a", params: "[]", undo: "undo", idempotent: false, at: 2)),
            .stepResult(execution: 1, step: 0, phase: "apply", attempt: 1, result: "succeeded", exitStatus: 0, output: "", at: 3),
            .stepIntent(StepIntentRecord(execution: 1, step: 1, phase: "apply", attempt: 1, action: "b", params: "[]", undo: "undo", idempotent: false, at: 4)),
        ])
        fixture.settle()
        let reader = try fixture.reader()
        let decisions = fixture.runner.recover(try reader.executionsInFlight(), pendingApprovals: try reader.pendingApprovals()) { id, outcome, escalate in
            fixture.outcomes[id] = (outcome, escalate)
        }
        fixture.settle()
        #expect(decisions.map(\.execution) == [1])
        #expect(fixture.driver.ran == ["undo 2 undo", "undo 1 undo"])
        #expect(try fixture.reader().executionsInFlight().isEmpty)
        #expect(try fixture.reader().timeline(incident: 1)?.executions.first?.outcome == "rolled_back")
    }
}
