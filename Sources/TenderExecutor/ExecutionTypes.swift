import TenderCore

/// Whether a step is being applied or undone (`TENDER_PHASE`).
public enum StepPhase: String, Sendable, Hashable, Codable {
    case apply, undo
}

/// How one run of a step ended, as the driver reports it.
public enum StepExit: Sendable, Hashable {
    case succeeded(output: String)
    /// The program ran and said no (non-zero exit, or a signal); its effect is taken as not applied.
    case failed(status: Int, output: String)
    /// No answer in time: the effect is unknown, so a timed-out apply is undone like an applied one.
    case timedOut(output: String)

    /// The step log's name for it.
    public var resultName: String {
        switch self {
        case .succeeded: "succeeded"
        case .failed: "failed"
        case .timedOut: "timed_out"
        }
    }

    public var output: String {
        switch self {
        case .succeeded(let output), .failed(_, let output), .timedOut(let output): output
        }
    }

    public var exitStatus: Int? {
        switch self {
        case .succeeded: 0
        case .failed(let status, _): status
        case .timedOut: nil
        }
    }
}

/// What the execution machine asks its shell to do.
public enum ExecutionAction: Sendable, Hashable {
    /// Ask a person to approve step `step` before `deadline` (the shell records the request).
    case requestApproval(step: Int, deadline: Instant)
    /// Make the intent of this run durable; answer with `.intentDurable`.
    case writeIntent(step: Int, phase: StepPhase, attempt: Int)
    /// Run it through the driver; answer with `.stepExited`.
    case run(step: Int, phase: StepPhase, attempt: Int, timeoutSeconds: Double)
    /// Record how the run ended (the next intent's durability implies this one's: the writer is FIFO).
    case writeResult(step: Int, phase: StepPhase, attempt: Int, exit: StepExit)
    /// Call back with `.retryDue` at `at`.
    case armRetry(step: Int, phase: StepPhase, at: Instant)
    /// Stop this run now (the execution was cancelled): the driver ends it (a program gets
    /// SIGTERM, then SIGKILL after the grace period) and still answers `.stepExited` once.
    case stopRun(step: Int, phase: StepPhase, attempt: Int)
    /// Take the approval request of `step` off the queue (the execution was cancelled while it
    /// waited): record it as superseded, unless a person decided it first.
    case withdrawApproval(step: Int)
    /// The execution is over; a non-nil `escalation` asks for people, and why (an approval
    /// denied or timed out, a rollback that did not finish).
    case finish(ExecutionOutcome, escalation: EscalationReason?)
}

/// What the shell tells the execution machine.
public enum ExecutionEvent: Sendable, Hashable {
    case start
    case approvalDecided(step: Int, approved: Bool, by: String, reason: String)
    case approvalTimedOut(step: Int)
    case intentDurable(step: Int, phase: StepPhase, attempt: Int)
    /// The intent could not be written: the step must not run.
    case intentFailed(step: Int, phase: StepPhase, attempt: Int, reason: String)
    case stepExited(step: Int, phase: StepPhase, attempt: Int, StepExit)
    case retryDue(step: Int, phase: StepPhase)
    /// Stop and roll back: the incident was cancelled. A step running is stopped and undone (its
    /// effect is unknown), a step waiting for approval is withdrawn, completed steps are undone in
    /// reverse order. A rollback already under way goes on; a finished execution is untouched.
    case cancel(by: String, reason: String)
}

/// What a cancel did to an execution still running, for the operator's log and the canceller's
/// reply (a finished execution is no longer the runner's: there is nothing to cancel).
public enum CancelEffect: String, Sendable, Hashable {
    /// The execution was stopped; what ran is being undone in reverse order.
    case rollingBack = "rolling_back"
    /// It was already rolling back (a step had failed, or it was denied); that goes on.
    case alreadyRollingBack = "already_rolling_back"
}

/// The knobs of an execution, the same for every plan of a run.
public struct ExecutionPolicy: Sendable, Hashable {
    public var gate: ApprovalGate
    /// First retry delay; doubles each attempt up to `retryCapSeconds`.
    public var retryBaseSeconds: Double
    public var retryCapSeconds: Double
    /// After a crash, resume forward when every remaining step is idempotent (else roll back).
    public var resumeIdempotentAfterCrash: Bool

    public init(gate: ApprovalGate = ApprovalGate(), retryBaseSeconds: Double = 1, retryCapSeconds: Double = 60, resumeIdempotentAfterCrash: Bool = true) {
        self.gate = gate
        self.retryBaseSeconds = retryBaseSeconds
        self.retryCapSeconds = retryCapSeconds
        self.resumeIdempotentAfterCrash = resumeIdempotentAfterCrash
    }

    /// Delay before attempt `attempt + 1`, after `attempt` failed.
    public func backoff(afterAttempt attempt: Int) -> Double {
        min(retryCapSeconds, retryBaseSeconds * Double(1 << min(max(attempt - 1, 0), 30)))
    }
}
