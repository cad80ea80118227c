import TenderCore
import TenderStore

/// An execution stopped by people before a restart (a step's approval denied or timed out), as
/// the next process must finish it: roll back, never resume or ask again, then escalate with
/// `reason`. Also how any stopped execution (a cancelled one too) is rolled back. Pure.
public struct StoppedExecution: Sendable, Hashable {
    public var reason: EscalationReason
    /// The same words the machine would have used, for the outcome and the page.
    public var detail: String

    public init(reason: EscalationReason, detail: String) {
        self.reason = reason
        self.detail = detail
    }

    /// The executions stopped by these denied or timed-out approvals, by execution id (for
    /// `ExecutionRunner.recover`'s `denied`). Other decisions are left out.
    public static func stops(_ approvals: [ApprovalRow]) -> [Int64: StoppedExecution] {
        var stops: [Int64: StoppedExecution] = [:]
        for row in approvals where row.decision == "denied" || row.decision == "timed_out" {
            let step = "step \(row.step + 1) (\(row.action))"
            stops[row.execution] = row.decision == "timed_out"
                ? StoppedExecution(reason: .approvalTimedOut, detail: "\(step) got no decision before its deadline")
                : StoppedExecution(reason: .approvalDenied, detail: "\(step) denied by \(row.decidedBy ?? "?"): \(row.reason ?? "no reason given")")
        }
        return stops
    }

    /// How to finish an execution that was stopped before the restart (cancelled, or denied): as
    /// `RecoveryPlanner` would without resuming forward, and when every step had succeeded (the
    /// stop came before its first undo was recorded), undo them all; `reason` says why.
    public static func rollBackOnly(plan: ValidatedPlan, log: [StepLogEntry], policy: ExecutionPolicy, because reason: String) -> RecoveryDecision {
        var noResume = policy
        noResume.resumeIdempotentAfterCrash = false
        var decision = RecoveryPlanner.decide(plan: plan, log: log, policy: noResume)
        switch decision.direction {
        case .resumeForward:
            decision.direction = .rollBack(undo: decision.applied.reversed().filter { plan.steps[$0].hasUndo }, reason: reason)
        case .rollBack(let undo, _):
            decision.direction = .rollBack(undo: undo, reason: reason)
        }
        return decision
    }
}
