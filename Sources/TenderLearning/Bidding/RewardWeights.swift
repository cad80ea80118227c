import TenderCore

/// The cooperative reward of the bidding environment. Every incident's outcome is scored once
/// and credited to every bid decision made about it (each a one-step episode), so a bidder is
/// judged by what happened to the incidents it bid on or refused, not by its own earnings.
public struct RewardWeights: Sendable, Codable, Hashable {
    /// Per unit of time-to-resolve measured in the incident's SLA (1 = took the whole SLA).
    public var ttr = 1.0
    /// Extra penalty for an SLA breach, per severity (critical, high, medium, low).
    public var breach: [Double] = [4, 2, 1, 0.5]
    /// Penalty for an escalation to a human (on top of a breach).
    public var escalation = 6.0
    /// Extra penalty, on a refusal decision only, when the refused incident was later escalated
    /// as `no_capable_specialist` (nobody capable there for the engine's timeout): the refusal
    /// left it waiting for a rota that then went away. 0 (the default) credits such a refusal
    /// like every other decision about the incident.
    public var declinedEscalation = 0.0
    /// Penalty for an incident still open at the end of the storm.
    public var open = 3.0
    /// Weight of the storm's capability-normalised Jain index shortfall (1 − J), shared by all.
    /// Shared by every decision of a storm, it credits none of them in particular.
    public var fairness = 1.0
    /// Weight of each decision's own fairness credit (`FairnessCredit`): the sign of its effect
    /// on the capability-normalised Jain index, scaled by how under- or over-served the deciding
    /// specialist ended the storm. 0 leaves fairness to the shared term.
    public var fairnessCredit = 0.0

    public init() {}

    /// The score of one concluded incident.
    public func score(_ conclusion: Conclusion, severity: Severity, arrivedAt: Double, slaDeadline: Double, at now: Double) -> Double {
        let sla = max(slaDeadline - arrivedAt, 1)
        let breached = now > slaDeadline
        switch conclusion {
        case .resolved:
            return -ttr * (now - arrivedAt) / sla - (breached ? breach[severity.rawValue] : 0)
        case .escalated:
            return -escalation - breach[severity.rawValue]
        case .cancelled:
            return 0
        }
    }
}
