import TenderStore

/// What to do with an execution found in flight after a restart.
public struct RecoveryDecision: Sendable, Hashable {
    public enum Direction: Sendable, Hashable {
        /// Continue from this step (every remaining step is idempotent and the policy allows it).
        case resumeForward(from: Int)
        /// Undo these steps, in this order, then report `rolledBack(reason)`.
        case rollBack(undo: [Int], reason: String)
    }

    public var direction: Direction
    /// Steps whose apply may have taken effect.
    public var applied: [Int]
    /// Attempts already in the step log per (step, phase), so new attempts get new numbers.
    public var usedAttempts: [(step: Int, phase: StepPhase, attempts: Int)]
    /// Things a person must check (an interrupted undo that may not run twice).
    public var problems: [String]
    public var escalate: Bool

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.direction == rhs.direction && lhs.applied == rhs.applied && lhs.problems == rhs.problems && lhs.escalate == rhs.escalate
            && lhs.usedAttempts.map { "\($0.step)/\($0.phase)/\($0.attempts)" } == rhs.usedAttempts.map { "\($0.step)/\($0.phase)/\($0.attempts)" }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(direction)
        hasher.combine(applied)
    }
}

/// Decides, from the step log alone, how to finish an execution interrupted at any instant.
///
/// Rules: a step whose last apply has no result (the process died while it ran) or timed out
/// may have taken effect. If no undo has started, no step failed for good, and every step from
/// the first unfinished one on is idempotent (and the policy allows), resume forward: rerunning
/// an idempotent step is safe. Otherwise roll back: undo, in reverse order, every step that may
/// have taken effect and whose undo has not succeeded. An undo that was interrupted is rerun
/// only if it is idempotent; if not, it is skipped, named, and the incident escalated, because
/// nothing may run twice that is not safe to run twice.
public enum RecoveryPlanner {
    enum Status: Equatable {
        case succeeded, failed, unknown
    }

    public static func decide(plan: ValidatedPlan, log: [StepLogEntry], policy: ExecutionPolicy) -> RecoveryDecision {
        var apply: [Int: (status: Status, attempts: Int)] = [:]
        var undo: [Int: (status: Status, attempts: Int)] = [:]
        for entry in log {
            let status: Status = switch entry.result {
            case "succeeded": .succeeded
            case "failed": .failed
            default: .unknown // no result yet, or timed out
            }
            if entry.phase == StepPhase.undo.rawValue {
                undo[entry.step] = (status, max(undo[entry.step]?.attempts ?? 0, entry.attempt))
            } else {
                apply[entry.step] = (status, max(apply[entry.step]?.attempts ?? 0, entry.attempt))
            }
        }
        let used = apply.map { (step: $0.key, phase: StepPhase.apply, attempts: $0.value.attempts) }
            + undo.map { (step: $0.key, phase: StepPhase.undo, attempts: $0.value.attempts) }
        let usedAttempts = used.sorted { ($0.step, $0.phase.rawValue) < ($1.step, $1.phase.rawValue) }
        let applied = plan.steps.indices.filter { apply[$0]?.status == .succeeded || apply[$0]?.status == .unknown }

        let firstUnfinished = plan.steps.indices.first { apply[$0]?.status != .succeeded } ?? plan.steps.count
        let lastFailure = apply[firstUnfinished]
        let retryable = lastFailure.map { $0.status != .failed || $0.attempts <= plan.steps[firstUnfinished].retries } ?? true
        let remainingIdempotent = plan.steps[firstUnfinished...].allSatisfy(\.idempotent)
        let everyStepApplied = firstUnfinished == plan.steps.count
        if undo.isEmpty, everyStepApplied || (retryable && policy.resumeIdempotentAfterCrash && remainingIdempotent) {
            return RecoveryDecision(direction: .resumeForward(from: firstUnfinished), applied: applied.filter { apply[$0]?.status == .succeeded },
                                    usedAttempts: usedAttempts, problems: [], escalate: false)
        }

        var toUndo: [Int] = []
        var problems: [String] = []
        for step in applied.reversed() where plan.steps[step].hasUndo {
            switch undo[step]?.status {
            case .succeeded:
                continue
            case .unknown where !plan.steps[step].undoIdempotent:
                problems.append("undo of step \(step + 1) (\(plan.steps[step].undo)) was interrupted and is not idempotent: check it by hand")
            default:
                toUndo.append(step)
            }
        }
        let interrupted = plan.steps.indices.first { apply[$0]?.status == .unknown }
        let reason = if let interrupted {
            "recovered after a restart: step \(interrupted + 1) (\(plan.steps[interrupted].action)) was in flight"
        } else if !undo.isEmpty {
            "recovered after a restart during rollback"
        } else {
            "recovered after a restart before step \(firstUnfinished + 1) (\(plan.steps[min(firstUnfinished, plan.steps.count - 1)].action))"
        }
        return RecoveryDecision(direction: .rollBack(undo: toUndo, reason: reason), applied: applied,
                                usedAttempts: usedAttempts, problems: problems, escalate: !problems.isEmpty)
    }
}
