/// Power-of-two-choices (Mitzenmacher): sample two candidates at random and take the less loaded.
/// Nearly as balanced as join-shortest-queue while probing only two specialists.
public final class PowerOfTwoAllocator: DirectAllocator {
    private var random: SeededGenerator

    public init(seed: UInt64) { random = SeededGenerator(seed: seed) }

    public var name: String { "power-of-two" }

    public func choose(for ticket: IncidentTicket, among candidates: [SpecialistID], in table: SpecialistTable) -> SpecialistID? {
        let first = candidates[random.nextIndex(below: candidates.count)]
        guard candidates.count > 1 else { return first }
        // Draw the second from the others so the two choices are distinct.
        var secondIndex = random.nextIndex(below: candidates.count - 1)
        if candidates[secondIndex] == first { secondIndex = candidates.count - 1 }
        let second = candidates[secondIndex]
        let (a, b) = (table.utilisation(first), table.utilisation(second))
        if a != b { return a < b ? first : second }
        return min(first, second)
    }
}
