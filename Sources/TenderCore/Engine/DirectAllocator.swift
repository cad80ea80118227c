/// A strategy that assigns an incident without asking for bids: the baselines (random,
/// round-robin, least-loaded, power-of-two, a central planner) that contract-net is compared with.
///
/// The auctioneer still owns the backlog, commitments, retries and escalation, so a direct
/// allocator only decides *who*. A class, because most strategies keep state (a cursor, a
/// generator) and the engine calls it on its hot path.
public protocol DirectAllocator: AnyObject {
    /// The name used in scenarios and on the command line.
    var name: String { get }
    /// Choose one of `candidates` (present, capable, with a free slot; never empty), or nil to
    /// leave the incident waiting in the backlog.
    func choose(for ticket: IncidentTicket, among candidates: [SpecialistID], in table: SpecialistTable) -> SpecialistID?
}

/// How the auctioneer picks a specialist for an incident.
public enum AllocationMode {
    /// FIPA contract net: call for proposals, score the bids with the rule.
    case contractNet(any AwardRule)
    /// Assign directly, without messages to the candidates.
    case direct(any DirectAllocator)
}
