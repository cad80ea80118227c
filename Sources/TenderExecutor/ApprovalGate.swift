import TenderCore

/// Which steps wait for a person, and for how long. Pure: the execution machine asks it; the
/// shell records requests and decisions (each decision with who, when and why in the audit log).
public struct ApprovalGate: Sendable, Hashable {
    /// Steps at or above this risk wait for approval; nil turns the gate off (`--approval-risk none`).
    public var threshold: RiskLevel?
    /// No decision in this long means deny, then escalate.
    public var timeoutSeconds: Double

    public init(threshold: RiskLevel? = .high, timeoutSeconds: Double = 900) {
        self.threshold = threshold
        self.timeoutSeconds = timeoutSeconds
    }

    /// Parse `--approval-risk`: `none` (off), `low`, `medium` or `high`.
    public init?(riskOption: String, timeoutSeconds: Double) {
        if riskOption == "none" {
            self.init(threshold: nil, timeoutSeconds: timeoutSeconds)
        } else if let level = RiskLevel(name: riskOption), level != .none {
            self.init(threshold: level, timeoutSeconds: timeoutSeconds)
        } else {
            return nil
        }
    }

    public func requiresApproval(_ risk: RiskLevel) -> Bool {
        guard let threshold else { return false }
        return risk >= threshold
    }

    public func deadline(from now: Instant) -> Instant { now + timeoutSeconds }
}
