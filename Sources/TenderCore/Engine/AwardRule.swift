/// Scores proposals; the lowest score wins. Ties go to the lower ETA, then to the bidder holding
/// less of its capacity, then to the one awarded less so far, then to the lower specialist id: the
/// same history always produces the same award, and identical specialists share the work.
public protocol AwardRule: Sendable {
    /// The name used in scenarios and on the command line.
    var name: String { get }
    func score(_ bid: Bid, from specialist: SpecialistID, for ticket: IncidentTicket, in table: SpecialistTable) -> Double
}

/// The default: whoever promises the earliest resolution wins.
public struct LowestCompletionTime: AwardRule {
    public init() {}
    public var name: String { "lowest-completion-time" }
    public func score(_ bid: Bid, from specialist: SpecialistID, for ticket: IncidentTicket, in table: SpecialistTable) -> Double {
        bid.eta
    }
}

/// Weighs a promise by the bidder's registered skill and its stated confidence: an expected time
/// to a *successful* resolution, so a fast but unskilled bidder does not win by claiming speed.
public struct SkillWeighted: AwardRule {
    public init() {}
    public var name: String { "skill-weighted" }
    public func score(_ bid: Bid, from specialist: SpecialistID, for ticket: IncidentTicket, in table: SpecialistTable) -> Double {
        let skill = max(table.skill(specialist, for: ticket.category), 0.01)
        let confidence = min(max(bid.confidence, 0.01), 1)
        return bid.eta / (skill * confidence)
    }
}

public enum AwardRules {
    public static let all: [any AwardRule] = [LowestCompletionTime(), SkillWeighted()]

    public static func named(_ name: String) -> (any AwardRule)? {
        all.first { $0.name == name }
    }
}
