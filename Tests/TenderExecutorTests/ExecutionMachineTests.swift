import Testing
import TenderCore
@testable import TenderExecutor

/// Drives a machine by hand: every intent becomes durable at once, runs end as `exits` says.
struct MachineDriver {
    var machine: ExecutionMachine
    var now = Instant(seconds: 0)
    var trace: [String] = []

    init(_ plan: ValidatedPlan, gate: ApprovalGate = ApprovalGate(threshold: nil)) {
        machine = ExecutionMachine(plan: plan, policy: ExecutionPolicy(gate: gate, retryBaseSeconds: 1, retryCapSeconds: 8))
    }

    /// Feed `event` and answer every intent and run until the machine waits on something else.
    mutating func run(_ event: ExecutionEvent = .start, exits: (Int, StepPhase, Int) -> StepExit = { _, _, _ in .succeeded(output: "") }) {
        var queue = [event]
        while !queue.isEmpty {
            for action in machine.handle(queue.removeFirst(), now: now) {
                switch action {
                case .requestApproval(let step, let deadline):
                    trace.append("approval \(step + 1) until \(Int(deadline.seconds))")
                case .writeIntent(let step, let phase, let attempt):
                    trace.append("intent \(phase.rawValue) \(step + 1)#\(attempt)")
                    queue.append(.intentDurable(step: step, phase: phase, attempt: attempt))
                case .run(let step, let phase, let attempt, _):
                    queue.append(.stepExited(step: step, phase: phase, attempt: attempt, exits(step, phase, attempt)))
                case .writeResult(let step, let phase, _, let exit):
                    trace.append("result \(phase.rawValue) \(step + 1) \(exit.resultName)")
                case .armRetry(let step, let phase, let at):
                    trace.append("retry at \(Int(at.seconds))")
                    now = at
                    queue.append(.retryDue(step: step, phase: phase))
                case .stopRun(let step, let phase, let attempt):
                    trace.append("stop \(phase.rawValue) \(step + 1)#\(attempt)")
                case .withdrawApproval(let step):
                    trace.append("withdraw approval \(step + 1)")
                case .finish(let outcome, let escalation):
                    trace.append("finish \(outcome.name)" + (escalation.map { " escalate \($0.name)" } ?? ""))
                }
            }
        }
    }
}

@Suite struct ExecutionMachineTests {
    @Test func everyStepIsWrittenBeforeItRunsAndTheResultAfter() {
        var driver = MachineDriver(plan([step("a"), step("b")]))
        driver.run()
        #expect(driver.trace == ["intent apply 1#1", "result apply 1 succeeded", "intent apply 2#1", "result apply 2 succeeded", "finish applied"])
        #expect(driver.machine.outcome == .applied)
    }

    @Test func aRunDoesNotStartBeforeItsIntentIsDurable() {
        var machine = ExecutionMachine(plan: plan([step("a")]), policy: ExecutionPolicy(gate: ApprovalGate(threshold: nil)))
        #expect(machine.handle(.start, now: Instant(seconds: 0)) == [.writeIntent(step: 0, phase: .apply, attempt: 1)])
        // An exit for a run never started, or a durable ack for another attempt, changes nothing.
        #expect(machine.handle(.stepExited(step: 0, phase: .apply, attempt: 1, .succeeded(output: "")), now: Instant(seconds: 0)).isEmpty)
        #expect(machine.handle(.intentDurable(step: 0, phase: .apply, attempt: 2), now: Instant(seconds: 0)).isEmpty)
        #expect(machine.handle(.intentDurable(step: 0, phase: .apply, attempt: 1), now: Instant(seconds: 0)) == [.run(step: 0, phase: .apply, attempt: 1, timeoutSeconds: 10)])
    }

    @Test func aFailedStepUndoesTheCompletedOnesInReverseOrder() {
        var driver = MachineDriver(plan([step("a"), step("b", undo: "noop"), step("c"), step("d")]))
        driver.run { step, phase, _ in step == 3 && phase == .apply ? .failed(status: 2, output: "no") : .succeeded(output: "") }
        #expect(Array(driver.trace.suffix(7)) == ["intent apply 4#1", "result apply 4 failed", "intent undo 3#1", "result undo 3 succeeded", "intent undo 1#1", "result undo 1 succeeded", "finish rolled_back"])
        #expect(driver.trace.filter { $0.hasPrefix("intent undo") } == ["intent undo 3#1", "intent undo 1#1"])
        guard case .rolledBack(let reason) = driver.machine.outcome else { Issue.record("not rolled back"); return }
        #expect(reason == "step 4 (d) failed (exit 2) after 1 attempt")
    }

    @Test func aTimedOutStepIsUndoneTooBecauseItsEffectIsUnknown() {
        var driver = MachineDriver(plan([step("a"), step("b")]))
        driver.run { step, phase, _ in step == 1 && phase == .apply ? .timedOut(output: "") : .succeeded(output: "") }
        #expect(driver.trace.filter { $0.hasPrefix("intent undo") } == ["intent undo 2#1", "intent undo 1#1"])
    }

    @Test func idempotentStepsAreRetriedWithExponentialBackoffThenGiveUp() {
        var driver = MachineDriver(plan([step("a", idempotent: true, retries: 3)]))
        driver.run { _, phase, _ in phase == .apply ? .failed(status: 1, output: "") : .succeeded(output: "") }
        #expect(driver.trace.filter { $0.hasPrefix("retry") } == ["retry at 1", "retry at 3", "retry at 7"])
        #expect(driver.trace.filter { $0.hasPrefix("intent apply") } == ["intent apply 1#1", "intent apply 1#2", "intent apply 1#3", "intent apply 1#4"])
        #expect(driver.trace.last == "finish rolled_back")
    }

    @Test func nonIdempotentStepsAreNeverRetried() {
        var driver = MachineDriver(plan([step("a", idempotent: false, retries: 3)]))
        driver.run { _, _, _ in .failed(status: 1, output: "") }
        #expect(driver.trace.filter { $0.hasPrefix("intent apply") }.count == 1)
    }

    @Test func riskyStepsWaitForApprovalAndRunWhenApproved() {
        var driver = MachineDriver(plan([step("a", risk: .low), step("b", risk: .high)]), gate: ApprovalGate(threshold: .high, timeoutSeconds: 300))
        driver.run()
        #expect(driver.trace == ["intent apply 1#1", "result apply 1 succeeded", "approval 2 until 300"])
        driver.run(.approvalDecided(step: 1, approved: true, by: "alice", reason: "ok"))
        #expect(driver.trace.last == "finish applied")
    }

    @Test func aDenialAndATimeoutBothRollBackThenEscalateWithTheirReason() {
        var denied = MachineDriver(plan([step("a"), step("b", risk: .high)]), gate: ApprovalGate(threshold: .high))
        denied.run()
        denied.run(.approvalDecided(step: 1, approved: false, by: "alice", reason: "change freeze"))
        #expect(denied.trace.suffix(3) == ["intent undo 1#1", "result undo 1 succeeded", "finish rolled_back escalate approval_denied"])
        #expect(denied.machine.outcome == .rolledBack(reason: "step 2 (b) denied by alice: change freeze"))

        var silent = MachineDriver(plan([step("a", risk: .high)]), gate: ApprovalGate(threshold: .high, timeoutSeconds: 60))
        silent.run()
        silent.run(.approvalTimedOut(step: 0))
        #expect(silent.trace == ["approval 1 until 60", "finish rolled_back escalate approval_timed_out"])
        // A decision after the timeout changes nothing.
        silent.run(.approvalDecided(step: 0, approved: true, by: "late", reason: ""))
        #expect(silent.trace.count == 2)
    }

    @Test func aFailedUndoIsRetriedIfIdempotentThenTheRestAreStillUndoneAndItEscalates() {
        var driver = MachineDriver(plan([step("a"), step("b", undoRetries: 1), step("c")]))
        driver.run { step, phase, _ in
            if phase == .apply && step == 2 { return .failed(status: 1, output: "") }
            if phase == .undo && step == 1 { return .failed(status: 1, output: "") }
            return .succeeded(output: "")
        }
        #expect(driver.trace.filter { $0.hasPrefix("intent undo") } == ["intent undo 2#1", "intent undo 2#2", "intent undo 1#1"])
        #expect(driver.trace.last == "finish rolled_back escalate rollback_incomplete")
        guard case .rolledBack(let reason) = driver.machine.outcome else { Issue.record("not rolled back"); return }
        #expect(reason.contains("undo of step 2 (undo) failed"))
    }

    @Test func intentThatCannotBeRecordedStopsTheStepFromRunning() {
        var machine = ExecutionMachine(plan: plan([step("a"), step("b")]), policy: ExecutionPolicy(gate: ApprovalGate(threshold: nil)))
        let now = Instant(seconds: 0)
        _ = machine.handle(.start, now: now)
        _ = machine.handle(.intentDurable(step: 0, phase: .apply, attempt: 1), now: now)
        _ = machine.handle(.stepExited(step: 0, phase: .apply, attempt: 1, .succeeded(output: "")), now: now)
        let actions = machine.handle(.intentFailed(step: 1, phase: .apply, attempt: 1, reason: "disk full"), now: now)
        #expect(actions == [.writeIntent(step: 0, phase: .undo, attempt: 1)])
    }
}
