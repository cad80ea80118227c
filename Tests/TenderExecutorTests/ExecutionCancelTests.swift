import Testing
import TenderCore
@testable import TenderExecutor

/// Cancelling an execution in every state it can be in, by hand: no driver, no store, a manual
/// clock. The running step is stopped and undone, completed steps are undone in reverse order,
/// a pending approval is withdrawn, and the machine finishes exactly once.
@Suite struct ExecutionCancelTests {
    let t0 = Instant(seconds: 0)
    let cancel = ExecutionEvent.cancel(by: "alice", reason: "false alarm")
    let ok = StepExit.succeeded(output: "")

    func machine(_ steps: [ValidatedStep], gate: ApprovalGate = ApprovalGate(threshold: nil)) -> ExecutionMachine {
        ExecutionMachine(plan: plan(steps), policy: ExecutionPolicy(gate: gate, retryBaseSeconds: 1, retryCapSeconds: 8))
    }

    /// Apply step `step` (attempt 1) from its intent to its exit.
    func apply(_ m: inout ExecutionMachine, _ step: Int) {
        _ = m.handle(.intentDurable(step: step, phase: .apply, attempt: 1), now: t0)
        _ = m.handle(.stepExited(step: step, phase: .apply, attempt: 1, ok), now: t0)
    }

    /// Answer every undo intent and run at once; returns the undos run, in order.
    func finishUndos(_ m: inout ExecutionMachine, after actions: [ExecutionAction]) -> [Int] {
        var undone: [Int] = []
        var pending = actions
        while let action = pending.first {
            pending.removeFirst()
            switch action {
            case .writeIntent(let step, .undo, let attempt):
                pending += m.handle(.intentDurable(step: step, phase: .undo, attempt: attempt), now: t0)
            case .run(let step, .undo, let attempt, _):
                undone.append(step)
                pending += m.handle(.stepExited(step: step, phase: .undo, attempt: attempt, ok), now: t0)
            default:
                continue
            }
        }
        return undone
    }

    @Test func beforeTheFirstStepNothingRunsAndItFinishesRolledBack() {
        var m = machine([step("a"), step("b")])
        let actions = m.handle(cancel, now: t0)
        #expect(actions == [.finish(.rolledBack(reason: "cancelled by alice: false alarm"), escalation: nil)])
        #expect(m.handle(.start, now: t0).isEmpty, "a start after the cancel changes nothing")
    }

    @Test func midStepTheRunIsStoppedThenItAndTheCompletedStepsAreUndoneInReverse() {
        var m = machine([step("a"), step("b"), step("c")])
        _ = m.handle(.start, now: t0)
        apply(&m, 0)
        _ = m.handle(.intentDurable(step: 1, phase: .apply, attempt: 1), now: t0)
        #expect(m.handle(cancel, now: t0) == [.stopRun(step: 1, phase: .apply, attempt: 1)])
        #expect(m.handle(cancel, now: t0).isEmpty, "a second cancel changes nothing")
        // The program dies of the SIGTERM: it may have done part of its work, so it is undone too.
        let stopped = m.handle(.stepExited(step: 1, phase: .apply, attempt: 1, .failed(status: 143, output: "")), now: t0)
        #expect(stopped.first == .writeResult(step: 1, phase: .apply, attempt: 1, exit: .failed(status: 143, output: "")))
        #expect(finishUndos(&m, after: Array(stopped.dropFirst())) == [1, 0])
        #expect(m.outcome == .rolledBack(reason: "cancelled by alice: false alarm"))
    }

    @Test func aStepWhoseIntentIsBeingWrittenNeverStartsAndIsLoggedAsNotRun() {
        var m = machine([step("a"), step("b")])
        _ = m.handle(.start, now: t0)
        apply(&m, 0)
        #expect(m.handle(cancel, now: t0).isEmpty, "waits for the intent's answer")
        let durable = m.handle(.intentDurable(step: 1, phase: .apply, attempt: 1), now: t0)
        #expect(!durable.contains { if case .run(_, .apply, _, _) = $0 { true } else { false } }, "step 2 must not run")
        #expect(durable.first == .writeResult(step: 1, phase: .apply, attempt: 1, exit: .failed(status: -1, output: "not run: the execution was cancelled")))
        #expect(finishUndos(&m, after: Array(durable.dropFirst())) == [0], "only the step that ran is undone")
    }

    @Test func duringUndoTheRollbackGoesOnUnchanged() {
        var m = machine([step("a"), step("b")])
        _ = m.handle(.start, now: t0)
        apply(&m, 0)
        _ = m.handle(.intentDurable(step: 1, phase: .apply, attempt: 1), now: t0)
        let failed = m.handle(.stepExited(step: 1, phase: .apply, attempt: 1, .failed(status: 2, output: "")), now: t0)
        #expect(failed.last == .writeIntent(step: 0, phase: .undo, attempt: 1))
        #expect(m.isRollingBack)
        _ = m.handle(.intentDurable(step: 0, phase: .undo, attempt: 1), now: t0)
        #expect(m.handle(cancel, now: t0).isEmpty, "the undo running is not stopped")
        let done = m.handle(.stepExited(step: 0, phase: .undo, attempt: 1, ok), now: t0)
        #expect(done.last == .finish(.rolledBack(reason: "step 2 (b) failed (exit 2) after 1 attempt"), escalation: nil))
    }

    @Test func whileAwaitingApprovalTheRequestIsWithdrawnAndWhatRanUndone() {
        var m = machine([step("a"), step("b", risk: .high)], gate: ApprovalGate(threshold: .high, timeoutSeconds: 60))
        _ = m.handle(.start, now: t0)
        let requested = m.handle(.stepExited(step: 0, phase: .apply, attempt: 1, ok), now: t0)
        #expect(requested.isEmpty, "step 1's intent first")
        _ = m.handle(.intentDurable(step: 0, phase: .apply, attempt: 1), now: t0)
        #expect(m.handle(.stepExited(step: 0, phase: .apply, attempt: 1, ok), now: t0) == [
            .writeResult(step: 0, phase: .apply, attempt: 1, exit: ok), .requestApproval(step: 1, deadline: Instant(seconds: 60)),
        ])
        let cancelled = m.handle(cancel, now: t0)
        #expect(cancelled.first == .withdrawApproval(step: 1))
        #expect(finishUndos(&m, after: cancelled) == [0])
        #expect(m.outcome == .rolledBack(reason: "cancelled by alice: false alarm"))
        // A decision or a timeout arriving afterwards changes nothing.
        #expect(m.handle(.approvalDecided(step: 1, approved: true, by: "bob", reason: ""), now: t0).isEmpty)
        #expect(m.handle(.approvalTimedOut(step: 1), now: t0).isEmpty)
    }

    @Test func afterCompletionACancelIsANoOp() {
        var m = machine([step("a")])
        _ = m.handle(.start, now: t0)
        apply(&m, 0)
        #expect(m.outcome == .applied)
        #expect(m.handle(cancel, now: t0).isEmpty)
        #expect(m.outcome == .applied)
    }

    @Test func duringABackoffAfterATimeoutTheUncertainStepIsUndoneToo() {
        var m = machine([step("a"), step("b", idempotent: true, retries: 2)])
        _ = m.handle(.start, now: t0)
        apply(&m, 0)
        _ = m.handle(.intentDurable(step: 1, phase: .apply, attempt: 1), now: t0)
        let backoff = m.handle(.stepExited(step: 1, phase: .apply, attempt: 1, .timedOut(output: "")), now: t0)
        #expect(backoff.last == .armRetry(step: 1, phase: .apply, at: Instant(seconds: 1)))
        #expect(finishUndos(&m, after: m.handle(cancel, now: t0)) == [1, 0])
        #expect(m.handle(.retryDue(step: 1, phase: .apply), now: Instant(seconds: 1)).isEmpty, "the retry never comes")
        #expect(m.outcome == .rolledBack(reason: "cancelled by alice: false alarm"))
    }
}
