import Foundation
import Testing
import TenderCore
import TenderStore
@testable import TenderExecutor

/// A driver whose runs end only when the test says, or when stopped (as SIGTERM would end them).
final class HeldDriver: StepDriver {
    var ran: [String] = []
    var stopped: [String] = []
    private var held: [StepInvocation: (StepExit) -> Void] = [:]

    func run(_ invocation: StepInvocation, completion: @escaping (StepExit) -> Void) {
        ran.append("\(invocation.phase.rawValue) \(invocation.step + 1)")
        if invocation.phase == .undo {
            completion(.succeeded(output: "undone"))
        } else {
            held[invocation] = completion
        }
    }

    func describe(_ invocation: StepInvocation) -> String { invocation.action }

    func stop(_ invocation: StepInvocation) {
        stopped.append("\(invocation.phase.rawValue) \(invocation.step + 1)")
        held.removeValue(forKey: invocation)?(.failed(status: 143, output: "terminated"))
    }

    /// End the held run of `step` successfully.
    func succeed(step: Int) {
        guard let key = held.keys.first(where: { $0.step == step }) else { return }
        held.removeValue(forKey: key)?(.succeeded(output: "done"))
    }

    /// End the held run of `step` with a failure of the program's own.
    func fail(step: Int) {
        guard let key = held.keys.first(where: { $0.step == step }) else { return }
        held.removeValue(forKey: key)?(.failed(status: 2, output: "no"))
    }
}

/// The runner's cancel against a real store and a manual clock: what stops, what is undone and
/// logged, what the approvals queue shows, and that the outcome is reported once.
@Suite struct RunnerCancelTests {
    final class Fixture {
        let base: RunnerFixture
        let driver = HeldDriver()
        let runner: ExecutionRunner
        var outcomes: [(Int64, ExecutionOutcome, EscalationReason?)] = []

        init(gate: ApprovalGate = ApprovalGate(threshold: nil)) throws {
            base = try RunnerFixture(gate: gate)
            runner = ExecutionRunner(writer: base.writer, driver: driver, clock: base.clock, policy: ExecutionPolicy(gate: gate),
                                     ids: try StoreReader(path: base.path).ids())
        }

        func execute(_ steps: [ValidatedStep]) -> Int64 {
            runner.execute(plan(steps)) { [unowned self] id, outcome, escalation in outcomes.append((id, outcome, escalation)) }
        }

        func log(_ id: Int64) throws -> ExecutionLog? {
            try StoreReader(path: base.path).timeline(incident: 1)?.executions.first { $0.id == id }
        }
    }

    @Test func midStepTheRunningStepIsStoppedAndEverythingThatRanIsUndoneInReverseAndLogged() throws {
        let f = try Fixture()
        let id = f.execute([step("a"), step("b"), step("c")])
        f.base.settle()
        f.driver.succeed(step: 0)
        f.base.settle()
        #expect(f.driver.ran == ["apply 1", "apply 2"])
        #expect(f.runner.cancelEffect(incident: IncidentID(1)) == .rollingBack)
        let effects = f.runner.cancel(incident: IncidentID(1), by: "alice", reason: "false alarm")
        #expect(effects.map(\.effect) == [.rollingBack])
        f.base.settle()
        #expect(f.driver.stopped == ["apply 2"])
        #expect(f.driver.ran == ["apply 1", "apply 2", "undo 2", "undo 1"])
        #expect(f.outcomes.count == 1)
        #expect(f.outcomes.first?.1 == .rolledBack(reason: "cancelled by alice: false alarm"))
        #expect(f.outcomes.first?.2 == nil)
        let log = try #require(try f.log(id))
        #expect(log.outcome == "rolled_back")
        #expect(log.steps.map { "\($0.phase) \($0.step + 1) \($0.result ?? "-")" } == [
            "apply 1 succeeded", "apply 2 failed", "undo 2 succeeded", "undo 1 succeeded",
        ])
        let audit = try #require(try StoreReader(path: f.base.path).timeline(incident: 1)?.audit)
        #expect(audit.contains { $0.actor == "alice" && $0.what == "execution \(id) cancel requested: rolling back" && $0.why == "false alarm" })
        // Once finished, a cancel finds nothing to stop.
        #expect(f.runner.cancel(incident: IncidentID(1), by: "alice", reason: "again").isEmpty)
        #expect(f.runner.cancelEffect(incident: IncidentID(1)) == nil)
    }

    @Test func beforeTheFirstStepNothingRuns() throws {
        let f = try Fixture()
        let id = f.execute([step("a"), step("b")])
        // The execution's own record is not durable yet: nothing has started.
        f.runner.cancel(incident: IncidentID(1), by: "alice", reason: "")
        f.base.settle()
        #expect(f.driver.ran.isEmpty)
        #expect(f.outcomes.map(\.1) == [.rolledBack(reason: "cancelled by alice")])
        #expect(try f.log(id)?.outcome == "rolled_back")
        #expect(try f.log(id)?.steps.isEmpty == true)
    }

    @Test func duringUndoTheRollbackGoesOnAndACancelIsOnlyNoted() throws {
        let f = try Fixture()
        let id = f.execute([step("a"), step("b")])
        f.base.settle()
        f.driver.succeed(step: 0)
        f.base.settle()
        // Step 2 fails by itself; its rollback starts (the undo's intent is being written).
        f.driver.fail(step: 1)
        #expect(f.runner.cancelEffect(incident: IncidentID(1)) == .alreadyRollingBack)
        #expect(f.runner.cancel(incident: IncidentID(1), by: "alice", reason: "").map(\.effect) == [.alreadyRollingBack])
        f.base.settle()
        #expect(f.driver.stopped.isEmpty)
        #expect(f.outcomes.count == 1)
        guard case .rolledBack(let reason) = f.outcomes.first?.1 else { Issue.record("not rolled back"); return }
        #expect(reason.hasPrefix("step 2 (b) failed"), "the rollback's own reason is kept")
        #expect(try f.log(id)?.steps.filter { $0.phase == "undo" }.map(\.step) == [0])
    }

    @Test func whileAwaitingApprovalTheRequestLeavesTheQueue() throws {
        let f = try Fixture(gate: ApprovalGate(threshold: .high, timeoutSeconds: 600))
        let id = f.execute([step("a"), step("b", risk: .high)])
        f.base.settle()
        f.driver.succeed(step: 0)
        f.base.settle()
        #expect(try StoreReader(path: f.base.path).pendingApprovals().map(\.step) == [1])
        f.runner.cancel(incident: IncidentID(1), by: "alice", reason: "resolved itself")
        f.base.settle()
        #expect(try StoreReader(path: f.base.path).pendingApprovals().isEmpty, "withdrawn from the queue")
        let approval = try #require(try StoreReader(path: f.base.path).timeline(incident: 1)?.approvals.first)
        #expect(approval.decision == "superseded")
        #expect(approval.reason == "withdrawn: the execution was cancelled")
        #expect(f.driver.ran == ["apply 1", "undo 1"])
        #expect(f.outcomes.map(\.1) == [.rolledBack(reason: "cancelled by alice: resolved itself")])
        // The deadline passing later changes nothing.
        f.base.clock.advance(by: 700)
        f.base.settle()
        #expect(f.outcomes.count == 1)
        #expect(try f.log(id)?.outcome == "rolled_back")
    }

    @Test func afterARestartACancelledIncidentsExecutionIsRolledBackNotResumed() throws {
        let f = try Fixture()
        // Every step succeeded and was idempotent: without the cancel, recovery would finish it
        // as applied. The incident was cancelled before the restart, so it is undone instead.
        let steps = [step("a", idempotent: true), step("b", idempotent: true)]
        let json = String(decoding: try JSONEncoder().encode(plan(steps)), as: UTF8.self)
        f.base.writer.submit([
            .executionStarted(id: 1, incident: 1, specialist: "network", playbook: "test", plan: json, dryRun: false, at: 1),
            .stepIntent(StepIntentRecord(execution: 1, step: 0, phase: "apply", attempt: 1, action: "a", params: "[]", undo: "undo", idempotent: true, at: 2)),
            .stepResult(execution: 1, step: 0, phase: "apply", attempt: 1, result: "succeeded", exitStatus: 0, output: "", at: 3),
            .stepIntent(StepIntentRecord(execution: 1, step: 1, phase: "apply", attempt: 1, action: "b", params: "[]", undo: "undo", idempotent: true, at: 4)),
            .stepResult(execution: 1, step: 1, phase: "apply", attempt: 1, result: "succeeded", exitStatus: 0, output: "", at: 5),
        ])
        f.base.settle()
        let reader = try StoreReader(path: f.base.path)
        let decisions = f.runner.recover(try reader.executionsInFlight(), pendingApprovals: [], cancelled: [1]) { id, outcome, escalation in
            f.outcomes.append((id, outcome, escalation))
        }
        f.base.settle()
        #expect(decisions.map(\.decision.direction) == [.rollBack(undo: [1, 0], reason: "recovered after a restart: the incident was cancelled")])
        #expect(f.outcomes.map(\.2) == [nil])
        #expect(f.driver.ran == ["undo 2", "undo 1"])
        #expect(try f.log(1)?.outcome == "rolled_back")
    }
}

/// A denial the store recorded before a crash is not forgotten by the next process.
@Suite struct RunnerDeniedRecoveryTests {
    @Test func anExecutionDeniedBeforeARestartIsRolledBackAndEscalatesNotAskedAgain() throws {
        let f = try RunnerCancelTests.Fixture(gate: ApprovalGate(threshold: .high, timeoutSeconds: 600))
        // Step 1 applied, step 2 (idempotent, so recovery alone would resume it) denied by bob,
        // then the process died before the undo's intent was written.
        let steps = [step("a", idempotent: true), step("b", idempotent: true, risk: .high)]
        let json = String(decoding: try JSONEncoder().encode(plan(steps)), as: UTF8.self)
        f.base.writer.submit([
            .executionStarted(id: 1, incident: 1, specialist: "network", playbook: "test", plan: json, dryRun: false, at: 1),
            .stepIntent(StepIntentRecord(execution: 1, step: 0, phase: "apply", attempt: 1, action: "a", params: "[]", undo: "undo", idempotent: true, at: 2)),
            .stepResult(execution: 1, step: 0, phase: "apply", attempt: 1, result: "succeeded", exitStatus: 0, output: "", at: 3),
            .approvalRequested(ApprovalRequestRecord(id: 1, execution: 1, incident: 1, step: 1, action: "b", risk: "high", params: "", at: 4, deadline: 604)),
            .approvalDecided(id: 1, decision: "denied", by: "bob", reason: "freeze", at: 5),
        ])
        f.base.settle()
        let reader = try StoreReader(path: f.base.path)
        let denied = StoppedExecution.stops([try #require(try reader.approval(id: 1))])
        _ = f.runner.recover(try reader.executionsInFlight(), pendingApprovals: try reader.pendingApprovals(), denied: denied) { id, outcome, escalation in
            f.outcomes.append((id, outcome, escalation))
        }
        f.base.settle()
        #expect(f.driver.ran == ["undo 1"], "step 2 is not run, and not asked about again")
        #expect(try reader.pendingApprovals().isEmpty)
        #expect(f.outcomes.count == 1)
        #expect(f.outcomes.first?.1 == .rolledBack(reason: "step 2 (b) denied by bob: freeze (recovered after a restart)"))
        #expect(f.outcomes.first?.2 == .approvalDenied)
    }
}
