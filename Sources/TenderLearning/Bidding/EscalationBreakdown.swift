import TenderCore
import TenderSim

/// Why a contender's incidents were escalated: counts by the engine's reason, and for
/// `no_capable_specialist` (nobody capable for `noCapableTimeout`) which of two different
/// things happened, because only one of them is a bidding policy's doing:
///
/// - **nobody present**: when the timeout ran out, no capable specialist for the category was
///   connected at all (a one-member rota crashed). No bid could have been made.
/// - **present**: somebody capable was connected when it ran out. Either a capable specialist
///   with a free slot refused the incident at least once (the policy declined work it alone
///   could take), or none did (the incident waited for capacity: the clock started while
///   nobody was present and was still running when the rota came back busy).
///
/// Each is further split by whether any capable specialist with a free slot ever refused the
/// incident (`BidTally.refused`), so "nobody present, refused before the crash" is visible too.
/// Presence is read from the engine's escalation detail, which names it ("… specialist present
/// for 300 s" when nobody is, "… willing to bid for 300 s" when somebody is).
public struct EscalationBreakdown: Sendable, Hashable {
    /// Escalations by `EscalationReason.name`.
    public var reasons: [String: Int] = [:]
    /// `no_capable_specialist` with nobody capable present, never refused by a capable free specialist.
    public var nobodyPresentNeverRefused = 0
    /// `no_capable_specialist` with nobody capable present, refused earlier by a capable free specialist.
    public var nobodyPresentRefusedBefore = 0
    /// `no_capable_specialist` with somebody capable present, who (or another) had refused it with a free slot.
    public var presentRefused = 0
    /// `no_capable_specialist` with somebody capable present, never refused with a free slot (waited for capacity).
    public var presentNeverRefused = 0

    public init() {}

    /// All `no_capable_specialist` escalations.
    public var noCapable: Int { nobodyPresentNeverRefused + nobodyPresentRefusedBefore + presentRefused + presentNeverRefused }

    /// Whether an escalation detail says a capable specialist was present (connected, not willing).
    public static func saysPresent(_ detail: String) -> Bool { detail.contains("willing to bid") }

    /// Counts one escalation; `refused`: a capable specialist with a free slot refused the incident.
    public mutating func add(_ escalation: Escalation, refused: Bool) {
        reasons[escalation.reason.name, default: 0] += 1
        guard escalation.reason == .noCapableSpecialist else { return }
        switch (Self.saysPresent(escalation.detail), refused) {
        case (false, false): nobodyPresentNeverRefused += 1
        case (false, true): nobodyPresentRefusedBefore += 1
        case (true, true): presentRefused += 1
        case (true, false): presentNeverRefused += 1
        }
    }

    public mutating func merge(_ other: EscalationBreakdown) {
        reasons.merge(other.reasons, uniquingKeysWith: +)
        nobodyPresentNeverRefused += other.nobodyPresentNeverRefused
        nobodyPresentRefusedBefore += other.nobodyPresentRefusedBefore
        presentRefused += other.presentRefused
        presentNeverRefused += other.presentNeverRefused
    }

    /// The `no_capable_specialist` split as snake_case keys (the evaluation's JSON).
    public var noCapableSplit: [(key: String, count: Int)] {
        [("nobody_present_never_refused", nobodyPresentNeverRefused), ("nobody_present_refused_before", nobodyPresentRefusedBefore),
         ("present_refused", presentRefused), ("present_never_refused", presentNeverRefused)]
    }

    /// One line: reasons in name order, then the split of `no_capable_specialist`.
    public var summary: String {
        var parts = reasons.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        if noCapable > 0 {
            parts.append("no_capable_specialist: nobody present \(nobodyPresentNeverRefused + nobodyPresentRefusedBefore) "
                + "(\(nobodyPresentRefusedBefore) refused before), present \(presentRefused + presentNeverRefused) "
                + "(\(presentRefused) refused by a capable free specialist, \(presentNeverRefused) never refused)")
        }
        return parts.joined(separator: ", ")
    }
}

/// Counts outcomes by severity over one simulation (the critical-breach figure of an
/// evaluation) and why incidents escalated, asking the contender's tally (if any) whether a
/// capable specialist with a free slot refused the incident.
final class OutcomeCounter: SimulationObserver, @unchecked Sendable {
    var concluded = [0, 0, 0, 0]
    var breached = [0, 0, 0, 0]
    var escalations = EscalationBreakdown()
    let tally: BidTally?

    init(tally: BidTally? = nil) { self.tally = tally }

    func concluded(
        _ incident: IncidentID, _ conclusion: Conclusion, category: IncidentCategory, severity: Severity,
        arrivedAt: Double, slaDeadline: Double, at now: Double
    ) {
        if case .cancelled = conclusion { return }
        concluded[severity.rawValue] += 1
        let escalated: Bool
        if case .escalated(let escalation) = conclusion {
            escalated = true
            escalations.add(escalation, refused: tally?.refused(incident.rawValue) ?? false)
        } else {
            escalated = false
        }
        if escalated || now > slaDeadline { breached[severity.rawValue] += 1 }
    }
}
