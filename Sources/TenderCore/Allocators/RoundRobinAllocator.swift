/// Takes turns through the pool by specialist id, skipping whoever is not a candidate: even
/// counts of work, blind to skill and to how long each task takes.
public final class RoundRobinAllocator: DirectAllocator {
    /// The id after the last one chosen; the next turn starts here.
    private var cursor: UInt32 = 0

    public init() {}

    public var name: String { "round-robin" }

    public func choose(for ticket: IncidentTicket, among candidates: [SpecialistID], in table: SpecialistTable) -> SpecialistID? {
        // Candidates come in id order: the first at or after the cursor, else wrap to the first.
        let chosen = candidates.first { $0.rawValue >= cursor } ?? candidates[0]
        cursor = chosen.rawValue &+ 1
        return chosen
    }
}
