import TenderCore
import TenderSim

/// Why a contender's incidents were escalated: counts by the engine's reason, and for
/// `no_capable_specialist` (nobody capable for `noCapableTimeout`) which of two different
/// things happened, because only one of them is a bidding policy's doing:
///
/// - **nobody present**: when the timeout ran out, no capable specialist for the category was
///   connected at all (every rota able to take it had crashed). No bid could have been made.
/// - **present**: somebody capable was connected when it ran out, and the clock had not been
///   stopped (it stops only when the incident is announced again and finds everybody busy).
///
/// Each is split by whether the incident had been **declined**: some round of it ended with
/// every answer a refusal (no bid; a refusal for lack of skill does not count), so it waited
/// because capable specialists with a free slot chose not to take it. "Nobody present,
/// declined before" is work a policy deferred to the backlog that a crash then took out of
/// reach; "present, declined" is work escalated while those who declined it were still there.
/// Presence is the engine's own record of it (`Escalation.capablePresent`).
public struct EscalationBreakdown: Sendable, Hashable {
    /// Escalations by `EscalationReason.name`.
    public var reasons: [String: Int] = [:]
    /// `no_capable_specialist`, nobody capable present, never declined.
    public var nobodyPresentNeverDeclined = 0
    /// `no_capable_specialist`, nobody capable present, declined in an earlier round.
    public var nobodyPresentDeclinedBefore = 0
    /// `no_capable_specialist`, somebody capable present, declined.
    public var presentDeclined = 0
    /// `no_capable_specialist`, somebody capable present, never declined.
    public var presentNeverDeclined = 0
    /// Incidents resolved although they were still waiting for a specialist (in the backlog or
    /// between attempts) at the engine's SLA-risk point (`EngineConfig().slaRiskFraction`, 90%
    /// of the SLA window). The simulator turns that rule off; live, each would have been
    /// escalated as `sla_at_risk` instead. An estimate: it ignores what paging them would have
    /// changed for the rest of the storm.
    public var resolvedPastSLARiskPoint = 0

    public init() {}

    /// All `no_capable_specialist` escalations.
    public var noCapable: Int { nobodyPresentNeverDeclined + nobodyPresentDeclinedBefore + presentDeclined + presentNeverDeclined }


    /// Counts one escalation; `declined`: a round of it ended with every answer a refusal.
    public mutating func add(_ escalation: Escalation, declined: Bool) {
        reasons[escalation.reason.name, default: 0] += 1
        guard escalation.reason == .noCapableSpecialist else { return }
        switch (escalation.capablePresent == true, declined) {
        case (false, false): nobodyPresentNeverDeclined += 1
        case (false, true): nobodyPresentDeclinedBefore += 1
        case (true, true): presentDeclined += 1
        case (true, false): presentNeverDeclined += 1
        }
    }

    public mutating func merge(_ other: EscalationBreakdown) {
        reasons.merge(other.reasons, uniquingKeysWith: +)
        nobodyPresentNeverDeclined += other.nobodyPresentNeverDeclined
        nobodyPresentDeclinedBefore += other.nobodyPresentDeclinedBefore
        presentDeclined += other.presentDeclined
        presentNeverDeclined += other.presentNeverDeclined
        resolvedPastSLARiskPoint += other.resolvedPastSLARiskPoint
    }

    /// The `no_capable_specialist` split as snake_case keys (the evaluation's JSON).
    public var noCapableSplit: [(key: String, count: Int)] {
        [("nobody_present_never_declined", nobodyPresentNeverDeclined), ("nobody_present_declined_before", nobodyPresentDeclinedBefore),
         ("present_declined", presentDeclined), ("present_never_declined", presentNeverDeclined)]
    }

    /// One line: reasons in name order, then the split of `no_capable_specialist`.
    public var summary: String {
        var parts = reasons.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        if noCapable > 0 {
            parts.append("no_capable_specialist: nobody present \(nobodyPresentNeverDeclined + nobodyPresentDeclinedBefore) "
                + "(\(nobodyPresentDeclinedBefore) declined before), present \(presentDeclined + presentNeverDeclined) "
                + "(\(presentDeclined) declined)")
        }
        if resolvedPastSLARiskPoint > 0 {
            parts.append("resolved although waiting past the SLA-risk point (live: sla_at_risk) \(resolvedPastSLARiskPoint)")
        }
        return parts.joined(separator: ", ")
    }
}

/// Counts outcomes by severity over one simulation (the critical-breach figure of an
/// evaluation) and why incidents escalated, watching every answer to know which incidents
/// had a round that every answer refused.
final class OutcomeCounter: SimulationObserver, @unchecked Sendable {
    var concluded = [0, 0, 0, 0]
    var breached = [0, 0, 0, 0]
    var escalations = EscalationBreakdown()
    /// Answers of the open incidents' rounds: bids and refusals (other than `notCapable`).
    private var rounds: [UInt64: [UInt32: (bids: Int, refusals: Int)]] = [:]
    /// Incidents now waiting for a specialist (backlogged, or between attempts), since when.
    private var waitingSince: [UInt64: Double] = [:]
    /// When each incident last stopped waiting (announced again).
    private var lastWaitEnd: [UInt64: Double] = [:]
    /// The live engine's SLA-risk fraction, which the simulator turns off.
    let slaRiskFraction = EngineConfig().slaRiskFraction ?? 1

    func engineAction(_ action: EngineAction, at now: Double) {
        switch action {
        case .backlogged(let incident), .retrying(let incident, _, _):
            if waitingSince[incident.rawValue] == nil { waitingSince[incident.rawValue] = now }
        case .announced(let ref, _):
            if waitingSince.removeValue(forKey: ref.incident.rawValue) != nil { lastWaitEnd[ref.incident.rawValue] = now }
        default:
            break
        }
    }

    /// Whether `incident` waited for a specialist at or after its SLA-risk point: the engine
    /// escalates a waiting incident there, or at once if it starts waiting later.
    func waitedPastRiskPoint(_ incident: UInt64, arrivedAt: Double, slaDeadline: Double, at now: Double) -> Bool {
        let point = arrivedAt + max(0, slaDeadline - arrivedAt) * slaRiskFraction
        let end = waitingSince[incident] != nil ? now : lastWaitEnd[incident]
        return (end ?? -.infinity) >= point
    }

    func answered(_ ref: AuctionRef, by specialist: SpecialistID, _ decision: BidDecision, at now: Double) {
        switch decision {
        case .bid: rounds[ref.incident.rawValue, default: [:]][ref.round, default: (0, 0)].bids += 1
        case .refuse(.notCapable): break
        case .refuse: rounds[ref.incident.rawValue, default: [:]][ref.round, default: (0, 0)].refusals += 1
        }
    }

    /// Whether a round of `incident` ended with refusals and no bid.
    func declined(_ incident: UInt64) -> Bool {
        rounds[incident]?.values.contains { $0.bids == 0 && $0.refusals > 0 } ?? false
    }

    func concluded(
        _ incident: IncidentID, _ conclusion: Conclusion, category: IncidentCategory, severity: Severity,
        arrivedAt: Double, slaDeadline: Double, at now: Double
    ) {
        defer {
            rounds[incident.rawValue] = nil
            waitingSince[incident.rawValue] = nil
            lastWaitEnd[incident.rawValue] = nil
        }
        if case .cancelled = conclusion { return }
        if case .resolved = conclusion, waitedPastRiskPoint(incident.rawValue, arrivedAt: arrivedAt, slaDeadline: slaDeadline, at: now) {
            escalations.resolvedPastSLARiskPoint += 1
        }
        concluded[severity.rawValue] += 1
        let escalated: Bool
        if case .escalated(let escalation) = conclusion {
            escalated = true
            escalations.add(escalation, declined: declined(incident.rawValue))
        } else {
            escalated = false
        }
        if escalated || now > slaDeadline { breached[severity.rawValue] += 1 }
    }
}
