import TenderCore

/// One plan's execution as a saga, with no I/O: events in, actions out, time passed in.
///
/// Forward, each step is (approved if its risk requires it, then) written as an intent, and runs
/// only once that intent is durable; its result is written after. An idempotent step that fails
/// is retried with exponential backoff. When a step fails for good, times out or is denied, the
/// steps that may have taken effect are undone in reverse order, each undo also intent-first.
/// A timed-out step counts as taking effect (its effect is unknown), so it is undone too.
///
/// A cancel stops the run in progress (and undoes it: a program stopped mid-way may have done
/// part of its work), withdraws a pending approval, or keeps a step whose intent is being written
/// from starting; then the completed steps are undone like in any rollback. A denied or
/// unanswered approval, or a rollback that cannot finish, ends with an `EscalationReason`.
public struct ExecutionMachine: Sendable {
    enum State: Sendable, Hashable {
        case idle
        case awaitingApproval(step: Int)
        case writingIntent(step: Int, phase: StepPhase, attempt: Int)
        case running(step: Int, phase: StepPhase, attempt: Int)
        case backingOff(step: Int, phase: StepPhase, attempt: Int)
        case finished(ExecutionOutcome)
    }

    public let plan: ValidatedPlan
    public let policy: ExecutionPolicy
    private(set) var state: State = .idle
    /// Steps whose apply may have taken effect, in the order they ran.
    public private(set) var applied: [Int] = []
    /// Undos still to run, next first.
    private var undoQueue: [Int] = []
    private var rollbackReason = ""
    /// Why people must be asked, once something asked for them (the first cause is kept).
    private var escalation: EscalationReason?
    /// Undoing has begun (or is all that is left): a cancel changes nothing any more.
    private var rollingBack = false
    /// Set by `.cancel`: the reason the rollback will give.
    private var cancelReason: String?
    /// The last failed attempt of the step backing off timed out, so it may have taken effect.
    private var lastAttemptUncertain = false
    private var undoProblems: [String] = []
    /// Attempt numbers already used in the step log (after a crash), so new ones continue after them.
    private var usedAttempts: [Key: Int] = [:]
    /// Where to begin on `.start`.
    private var startAt: Start = .forward(0)

    struct Key: Hashable, Sendable {
        var step: Int
        var phase: StepPhase
    }

    enum Start: Sendable, Hashable {
        case forward(Int)
        case rollback
    }

    public init(plan: ValidatedPlan, policy: ExecutionPolicy) {
        self.plan = plan
        self.policy = policy
    }

    /// A machine that continues an execution interrupted by a crash, as `RecoveryPlanner` decided.
    public init(plan: ValidatedPlan, policy: ExecutionPolicy, recovering decision: RecoveryDecision) {
        self.init(plan: plan, policy: policy)
        usedAttempts = Dictionary(uniqueKeysWithValues: decision.usedAttempts.map { (Key(step: $0.step, phase: $0.phase), $0.attempts) })
        applied = decision.applied
        escalation = decision.escalate ? .rollbackIncomplete : nil
        undoProblems = decision.problems
        switch decision.direction {
        case .resumeForward(let step):
            startAt = .forward(step)
        case .rollBack(let undo, let reason):
            undoQueue = undo
            rollbackReason = reason
            rollingBack = true
            startAt = .rollback
        }
    }

    public var isFinished: Bool {
        if case .finished = state { return true }
        return false
    }

    /// Ask for people, for `reason`, when this execution finishes: a denial recorded before a
    /// restart that the recovered machine must not forget. It comes before any later cause.
    public mutating func requireEscalation(_ reason: EscalationReason) { escalation = reason }

    /// Undoing has begun, or is all that is left to do.
    public var isRollingBack: Bool { rollingBack && !isFinished }

    /// A cancel has been asked for.
    public var isCancelled: Bool { cancelReason != nil }

    public var outcome: ExecutionOutcome? {
        if case .finished(let outcome) = state { return outcome }
        return nil
    }

    /// Feed one event at `now`; returns what to do next. Events that do not fit the current state
    /// (a late exit, a second decision) change nothing.
    public mutating func handle(_ event: ExecutionEvent, now: Instant) -> [ExecutionAction] {
        switch (event, state) {
        case (.start, .idle):
            switch startAt {
            case .forward(let step): return begin(step, now: now)
            case .rollback: return nextUndo()
            }
        case (.approvalDecided(let step, let approved, let by, let reason), .awaitingApproval(let waiting)) where step == waiting:
            if approved { return writeIntent(step, .apply) }
            return startRollback(because: "step \(step + 1) (\(plan.steps[step].action)) denied by \(by): \(reason)", escalation: .approvalDenied)
        case (.approvalTimedOut(let step), .awaitingApproval(let waiting)) where step == waiting:
            return startRollback(because: "step \(step + 1) (\(plan.steps[step].action)) got no decision within \(Self.seconds(policy.gate.timeoutSeconds)) s", escalation: .approvalTimedOut)
        case (.cancel(let by, let reason), _):
            return cancel(by: by, reason: reason)
        case (.intentDurable(let step, .apply, let attempt), .writingIntent(let s, .apply, let a)) where (step, attempt) == (s, a) && cancelReason != nil:
            // Cancelled while the intent was being written: the step never starts. Its result
            // says so, so the log shows it did not take effect.
            let notRun = ExecutionAction.writeResult(step: step, phase: .apply, attempt: attempt, exit: .failed(status: -1, output: "not run: the execution was cancelled"))
            return [notRun] + startRollback(because: cancelReason ?? "cancelled", escalation: nil)
        case (.intentDurable(let step, let phase, let attempt), .writingIntent(let s, let p, let a)) where (step, phase, attempt) == (s, p, a):
            state = .running(step: step, phase: phase, attempt: attempt)
            let timeout = phase == .apply ? plan.steps[step].timeoutSeconds : plan.steps[step].undoTimeoutSeconds
            return [.run(step: step, phase: phase, attempt: attempt, timeoutSeconds: timeout)]
        case (.intentFailed(let step, let phase, let attempt, let reason), .writingIntent(let s, let p, let a)) where (step, phase, attempt) == (s, p, a):
            if phase == .apply {
                return startRollback(because: "step \(step + 1) (\(plan.steps[step].action)) not run: its intent could not be recorded: \(reason)", escalation: .rollbackIncomplete)
            }
            undoProblems.append("undo of step \(step + 1) (\(plan.steps[step].undo)) not run: its intent could not be recorded: \(reason)")
            escalation = escalation ?? .rollbackIncomplete
            return nextUndo()
        case (.stepExited(let step, let phase, let attempt, let exit), .running(let s, let p, let a)) where (step, phase, attempt) == (s, p, a):
            let record = ExecutionAction.writeResult(step: step, phase: phase, attempt: attempt, exit: exit)
            return [record] + (phase == .apply ? applyExited(step, attempt, exit, now: now) : undoExited(step, attempt, exit, now: now))
        case (.retryDue(let step, let phase), .backingOff(let s, let p, _)) where (step, phase) == (s, p):
            return writeIntent(step, phase)
        default:
            return []
        }
    }

    // MARK: Forward

    private mutating func begin(_ step: Int, now: Instant) -> [ExecutionAction] {
        guard step < plan.steps.count else { return finish(.applied) }
        if policy.gate.requiresApproval(plan.steps[step].risk) {
            state = .awaitingApproval(step: step)
            return [.requestApproval(step: step, deadline: policy.gate.deadline(from: now))]
        }
        return writeIntent(step, .apply)
    }

    private mutating func writeIntent(_ step: Int, _ phase: StepPhase) -> [ExecutionAction] {
        let key = Key(step: step, phase: phase)
        let attempt = usedAttempts[key, default: 0] + 1
        usedAttempts[key] = attempt
        state = .writingIntent(step: step, phase: phase, attempt: attempt)
        return [.writeIntent(step: step, phase: phase, attempt: attempt)]
    }

    private mutating func applyExited(_ step: Int, _ attempt: Int, _ exit: StepExit, now: Instant) -> [ExecutionAction] {
        let definition = plan.steps[step]
        if let cancelReason {
            // Stopped by the cancel. Whatever it answered (a program may exit 1 on SIGTERM), it
            // may have done part of its work: undo it with the others.
            applied.append(step)
            return startRollback(because: cancelReason, escalation: nil)
        }
        switch exit {
        case .succeeded:
            applied.append(step)
            return begin(step + 1, now: now)
        case .failed, .timedOut:
            if definition.idempotent && attempt <= definition.retries {
                state = .backingOff(step: step, phase: .apply, attempt: attempt)
                lastAttemptUncertain = exit.resultName == "timed_out"
                return [.armRetry(step: step, phase: .apply, at: now + policy.backoff(afterAttempt: attempt))]
            }
            if case .timedOut = exit { applied.append(step) }
            let how = if case .timedOut = exit { "timed out" } else { "failed (exit \(exit.exitStatus ?? -1))" }
            return startRollback(because: "step \(step + 1) (\(definition.action)) \(how) after \(attempt) attempt\(attempt == 1 ? "" : "s")", escalation: nil)
        }
    }

    /// `900`, or `0.3`: whole seconds without a decimal point.
    static func seconds(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    // MARK: Cancel

    private mutating func cancel(by: String, reason: String) -> [ExecutionAction] {
        guard !isFinished, !rollingBack, cancelReason == nil else { return [] }
        let why = "cancelled by \(by)" + (reason.isEmpty ? "" : ": \(reason)")
        cancelReason = why
        switch state {
        case .idle, .finished:
            // Not started (or, after a restart, resuming forward): undo whatever ran before.
            return isFinished ? [] : startRollback(because: why, escalation: nil)
        case .awaitingApproval(let step):
            return [.withdrawApproval(step: step)] + startRollback(because: why, escalation: nil)
        case .writingIntent:
            // The intent is on its way to the disk: `.intentDurable` records the step as not run.
            return []
        case .running(let step, let phase, let attempt):
            // `.stepExited` comes once the driver has stopped it.
            return [.stopRun(step: step, phase: phase, attempt: attempt)]
        case .backingOff(let step, _, _):
            if lastAttemptUncertain { applied.append(step) }
            return startRollback(because: why, escalation: nil)
        }
    }

    // MARK: Rollback

    private mutating func startRollback(because reason: String, escalation: EscalationReason?) -> [ExecutionAction] {
        rollbackReason = reason
        rollingBack = true
        self.escalation = self.escalation ?? escalation
        undoQueue = applied.reversed().filter { plan.steps[$0].hasUndo }
        return nextUndo()
    }

    private mutating func nextUndo() -> [ExecutionAction] {
        guard let step = undoQueue.first else {
            let problems = undoProblems.isEmpty ? "" : "; " + undoProblems.joined(separator: "; ")
            return finish(.rolledBack(reason: rollbackReason + problems))
        }
        undoQueue.removeFirst()
        return writeIntent(step, .undo)
    }

    private mutating func undoExited(_ step: Int, _ attempt: Int, _ exit: StepExit, now: Instant) -> [ExecutionAction] {
        let definition = plan.steps[step]
        if case .succeeded = exit { return nextUndo() }
        if definition.undoIdempotent && attempt <= definition.undoRetries {
            state = .backingOff(step: step, phase: .undo, attempt: attempt)
            return [.armRetry(step: step, phase: .undo, at: now + policy.backoff(afterAttempt: attempt))]
        }
        // Keep undoing the rest: one stuck undo must not leave the others applied. A person is
        // paged to finish this one by hand.
        undoProblems.append("undo of step \(step + 1) (\(definition.undo)) \(exit.resultName == "timed_out" ? "timed out" : "failed")")
        escalation = escalation ?? .rollbackIncomplete
        return nextUndo()
    }

    private mutating func finish(_ outcome: ExecutionOutcome) -> [ExecutionAction] {
        state = .finished(outcome)
        return [.finish(outcome, escalation: escalation)]
    }
}
