/// Why the engine handed an incident to humans. The escalation policy (docs/ENGINE.md) escalates
/// for exactly these reasons; waiting for capacity, or for a specialist to connect, is not one.
public enum EscalationReason: UInt8, Sendable, Hashable, CaseIterable {
    /// No capable specialist was present, or every present one declined, for
    /// `EngineConfig.noCapableTimeout` seconds in a row.
    case noCapableSpecialist
    /// The incident was still waiting for a specialist when `EngineConfig.slaRiskFraction` of its
    /// SLA window had passed.
    case slaAtRisk
    /// `EngineConfig.maxAttempts` real failures: failure reports, silent winners, winners that
    /// left, plans rolled back or refused by the executor.
    case attemptsExhausted
    /// A specialist said the incident cannot be acted on as reported (a needed entity is missing).
    case notActionable
    /// A person denied a step of the winner's plan that needed approval; what ran was undone.
    case approvalDenied
    /// Nobody decided on a step that needed approval before `--approval-timeout`: that is a
    /// denial; what ran was undone.
    case approvalTimedOut
    /// Undoing the winner's plan did not finish (an undo failed, could not be recorded, or was
    /// interrupted and may not run twice): a person must check what is left applied before
    /// anything else runs.
    case rollbackIncomplete

    /// The snake_case name used in logs, JSON and the store.
    public var name: String {
        switch self {
        case .noCapableSpecialist: "no_capable_specialist"
        case .slaAtRisk: "sla_at_risk"
        case .attemptsExhausted: "attempts_exhausted"
        case .notActionable: "not_actionable"
        case .approvalDenied: "approval_denied"
        case .approvalTimedOut: "approval_timed_out"
        case .rollbackIncomplete: "rollback_incomplete"
        }
    }
}

/// An escalation with its reason and what led to it, carried by `Conclusion.escalated`.
public struct Escalation: Sendable, Hashable, CustomStringConvertible {
    public var reason: EscalationReason
    /// Real failures counted so far (what `maxAttempts` bounds).
    public var attempts: Int
    /// The latest real failure, if there was one.
    public var lastSetback: Setback?
    /// Human-readable context: the specialist's words for `notActionable`, otherwise a sentence
    /// saying what the engine saw.
    public var detail: String
    /// For `no_capable_specialist`: whether a capable specialist was connected when the timeout
    /// ran out (every one of them had declined) rather than none at all; nil for other reasons.
    public var capablePresent: Bool?

    public init(reason: EscalationReason, attempts: Int, lastSetback: Setback? = nil, detail: String, capablePresent: Bool? = nil) {
        self.reason = reason
        self.attempts = attempts
        self.lastSetback = lastSetback
        self.detail = detail
        self.capablePresent = capablePresent
    }

    /// `reason: detail`, for log lines and transcripts.
    public var name: String { detail.isEmpty ? reason.name : "\(reason.name): \(detail)" }
    public var description: String { name }
}
