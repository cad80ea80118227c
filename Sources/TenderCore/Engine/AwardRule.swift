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
