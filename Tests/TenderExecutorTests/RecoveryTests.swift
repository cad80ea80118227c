import Testing
import TenderCore
import TenderStore
@testable import TenderExecutor

/// One thing that happens during an execution, in order: a log write or a real-world effect.
enum Tick: Equatable {
    case intent(StepLogEntry)
    case result(step: Int, phase: StepPhase, attempt: Int, result: String)
    /// The program ran and changed the world (what the ledger program appends).
    case effect(step: Int, phase: StepPhase)
}

/// Runs a machine to its end, recording every tick; `effects` says whether a run changed the
/// world before it ended (a failed run did not; a timed-out one may have).
func runToEnd(_ machine: inout ExecutionMachine, start: ExecutionEvent = .start, exits: (Int, StepPhase, Int) -> StepExit) -> [Tick] {
    var ticks: [Tick] = []
    var queue = [start]
    var now = Instant(seconds: 0)
    while !queue.isEmpty {
        for action in machine.handle(queue.removeFirst(), now: now) {
            switch action {
            case .requestApproval(let step, _):
                queue.append(.approvalDecided(step: step, approved: true, by: "test", reason: ""))
            case .writeIntent(let step, let phase, let attempt):
                let definition = machine.plan.steps[step]
                ticks.append(.intent(StepLogEntry(step: step, phase: phase.rawValue, attempt: attempt, action: definition.action, params: "[]",
                                                  undo: definition.undo, idempotent: definition.idempotent, intentAt: now.seconds)))
                queue.append(.intentDurable(step: step, phase: phase, attempt: attempt))
            case .run(let step, let phase, let attempt, _):
                let exit = exits(step, phase, attempt)
                if case .failed = exit {} else { ticks.append(.effect(step: step, phase: phase)) }
                queue.append(.stepExited(step: step, phase: phase, attempt: attempt, exit))
            case .writeResult(let step, let phase, let attempt, let exit):
                ticks.append(.result(step: step, phase: phase, attempt: attempt, result: exit.resultName))
            case .armRetry(let step, let phase, let at):
                now = at
                queue.append(.retryDue(step: step, phase: phase))
            case .finish, .stopRun, .withdrawApproval:
                break
            }
        }
    }
    return ticks
}

/// The step log a crash after `ticks` leaves in the store.
func stepLog(_ ticks: [Tick]) -> [StepLogEntry] {
    var log: [StepLogEntry] = []
    for tick in ticks {
        switch tick {
        case .intent(let entry): log.append(entry)
        case .result(let step, let phase, let attempt, let result):
            if let index = log.firstIndex(where: { $0.step == step && $0.phase == phase.rawValue && $0.attempt == attempt }) { log[index].result = result }
        case .effect: break
        }
    }
    return log
}

/// The ledger's verdict: every step applied and none undone, or every applied step (with an
/// undo) undone after it, in reverse order; and no non-idempotent step applied twice.
func ledgerProblems(_ effects: [(step: Int, phase: StepPhase)], plan: ValidatedPlan, outcome: ExecutionOutcome?) -> [String] {
    var problems: [String] = []
    var applies: [Int: Int] = [:]
    var applyOrder: [Int] = []
    var undoOrder: [Int] = []
    for effect in effects {
        if effect.phase == .apply {
            applies[effect.step, default: 0] += 1
            if !applyOrder.contains(effect.step) { applyOrder.append(effect.step) }
        } else {
            undoOrder.append(effect.step)
        }
    }
    for (step, count) in applies where count > 1 && !plan.steps[step].idempotent {
        problems.append("non-idempotent step \(step + 1) applied \(count) times")
    }
    switch outcome {
    case .applied?:
        if applyOrder.sorted() != Array(plan.steps.indices) { problems.append("applied but steps \(applyOrder) ran") }
        if !undoOrder.isEmpty { problems.append("applied but undid \(undoOrder)") }
    case .rolledBack?:
        let expected = applyOrder.reversed().filter { plan.steps[$0].hasUndo }
        // An undo of a step whose apply never happened is allowed (its effect was unknown).
        let undoneApplied = undoOrder.filter { applyOrder.contains($0) }
        var seen = Set<Int>()
        let firstUndos = undoneApplied.filter { seen.insert($0).inserted }
        if firstUndos != Array(expected) { problems.append("undid \(undoOrder), expected \(Array(expected)) after applying \(applyOrder)") }
    default:
        problems.append("no outcome")
    }
    return problems
}

@Suite struct RecoveryPlannerTests {
    let policy = ExecutionPolicy(gate: ApprovalGate(threshold: nil))

    @Test func aStepInFlightThatIsNotIdempotentIsRolledBackAndUndoneItself() {
        let plan = plan([step("a"), step("b")])
        let log = [
            StepLogEntry(step: 0, phase: "apply", attempt: 1, action: "a", params: "[]", undo: "undo", idempotent: false, intentAt: 0, result: "succeeded"),
            StepLogEntry(step: 1, phase: "apply", attempt: 1, action: "b", params: "[]", undo: "undo", idempotent: false, intentAt: 1),
        ]
        let decision = RecoveryPlanner.decide(plan: plan, log: log, policy: policy)
        #expect(decision.direction == .rollBack(undo: [1, 0], reason: "recovered after a restart: step 2 (b) was in flight"))
    }

    @Test func idempotentRemainderResumesForwardUnlessThePolicyForbids() {
        let plan = plan([step("a"), step("b", idempotent: true), step("c", idempotent: true)])
        let log = [
            StepLogEntry(step: 0, phase: "apply", attempt: 1, action: "a", params: "[]", undo: "undo", idempotent: false, intentAt: 0, result: "succeeded"),
            StepLogEntry(step: 1, phase: "apply", attempt: 1, action: "b", params: "[]", undo: "undo", idempotent: true, intentAt: 1),
        ]
        #expect(RecoveryPlanner.decide(plan: plan, log: log, policy: policy).direction == .resumeForward(from: 1))
        var strict = policy
        strict.resumeIdempotentAfterCrash = false
        #expect(RecoveryPlanner.decide(plan: plan, log: log, policy: strict).direction == .rollBack(undo: [1, 0], reason: "recovered after a restart: step 2 (b) was in flight"))
    }

    @Test func anInterruptedUndoThatIsNotIdempotentIsNotRunAgainAndEscalates() {
        let plan = plan([step("a", undoIdempotent: false), step("b")])
        let log = [
            StepLogEntry(step: 0, phase: "apply", attempt: 1, action: "a", params: "[]", undo: "undo", idempotent: false, intentAt: 0, result: "succeeded"),
            StepLogEntry(step: 1, phase: "apply", attempt: 1, action: "b", params: "[]", undo: "undo", idempotent: false, intentAt: 1, result: "failed"),
            StepLogEntry(step: 0, phase: "undo", attempt: 1, action: "undo", params: "[]", undo: "undo", idempotent: false, intentAt: 2),
        ]
        let decision = RecoveryPlanner.decide(plan: plan, log: log, policy: policy)
        #expect(decision.direction == .rollBack(undo: [], reason: "recovered after a restart during rollback"))
        #expect(decision.escalate)
        #expect(decision.problems.first?.contains("not idempotent: check it by hand") == true)
    }

    /// Kill the process after every single write or effect of many executions, recover from the
    /// step log, finish, and check the ledger: fully applied or fully undone in reverse order,
    /// never a non-idempotent step twice.
    @Test(arguments: [false, true])
    func crashAtEveryInstantEndsFullyAppliedOrFullyUndone(resume: Bool) {
        let plans = [
            plan([step("a"), step("b"), step("c")]),
            plan([step("a", idempotent: true, retries: 2), step("b", idempotent: true, retries: 1), step("c", idempotent: true)]),
            plan([step("a"), step("b", undo: "noop", idempotent: true), step("c", idempotent: true, retries: 1)]),
            plan([step("a", idempotent: true), step("b", undoIdempotent: false), step("c", idempotent: true)]),
        ]
        // Which runs fail: none; step 3 always; step 2 once then fine; step 2 times out.
        let scripts: [(Int, StepPhase, Int) -> StepExit] = [
            { _, _, _ in .succeeded(output: "") },
            { step, phase, _ in phase == .apply && step == 2 ? .failed(status: 1, output: "") : .succeeded(output: "") },
            { step, phase, attempt in phase == .apply && step == 1 && attempt == 1 ? .failed(status: 1, output: "") : .succeeded(output: "") },
            { step, phase, _ in phase == .apply && step == 1 ? .timedOut(output: "") : .succeeded(output: "") },
        ]
        var policy = self.policy
        policy.resumeIdempotentAfterCrash = resume
        var cases = 0
        for plan in plans {
            for script in scripts {
                var original = ExecutionMachine(plan: plan, policy: policy)
                let ticks = runToEnd(&original, exits: script)
                for crash in 0...ticks.count {
                    let before = Array(ticks.prefix(crash))
                    let decision = RecoveryPlanner.decide(plan: plan, log: stepLog(before), policy: policy)
                    var recovered = ExecutionMachine(plan: plan, policy: policy, recovering: decision)
                    // After the restart the world behaves: every run succeeds.
                    let after = runToEnd(&recovered) { _, _, _ in .succeeded(output: "") }
                    let effects = (before + after).compactMap { tick -> (step: Int, phase: StepPhase)? in
                        if case .effect(let step, let phase) = tick { return (step, phase) }
                        return nil
                    }
                    let problems = decision.problems.isEmpty ? ledgerProblems(effects, plan: plan, outcome: recovered.outcome) : []
                    #expect(problems.isEmpty, "crash after tick \(crash) of \(ticks.count): \(problems)")
                    #expect(recovered.isFinished)
                    // No attempt number is ever reused: the step log's primary key would refuse it.
                    let intents = (before + after).compactMap { tick -> String? in
                        if case .intent(let entry) = tick { return "\(entry.step)/\(entry.phase)/\(entry.attempt)" }
                        return nil
                    }
                    #expect(Set(intents).count == intents.count)
                    cases += 1
                }
            }
        }
        #expect(cases > 100)
    }
}
