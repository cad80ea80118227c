/// Picks uniformly among the capable specialists with a free slot: the floor any strategy must beat.
public final class RandomAllocator: DirectAllocator {
    private var random: SeededGenerator

    public init(seed: UInt64) { random = SeededGenerator(seed: seed) }

    public var name: String { "random" }

    public func choose(for ticket: IncidentTicket, among candidates: [SpecialistID], in table: SpecialistTable) -> SpecialistID? {
        candidates[random.nextIndex(below: candidates.count)]
    }
}
