/// Join-shortest-queue: the candidate holding the smallest fraction of its capacity, ties to the
/// lower id. Needs the load of every candidate, which a real coordinator only has if it polls.
public final class LeastLoadedAllocator: DirectAllocator {
    public init() {}

    public var name: String { "least-loaded" }

    public func choose(for ticket: IncidentTicket, among candidates: [SpecialistID], in table: SpecialistTable) -> SpecialistID? {
        var best = candidates[0]
        var bestLoad = table.utilisation(best)
        for id in candidates.dropFirst() {
            let load = table.utilisation(id)
            if load < bestLoad {
                best = id
                bestLoad = load
            }
        }
        return best
    }
}

extension SpecialistTable {
    /// Awarded tasks over capacity; 1 for a specialist that is not present.
    @inline(__always)
    public func utilisation(_ id: SpecialistID) -> Double {
        // Read from the capacity array: copying the `SpecialistInfo` out would retain its name.
        let index = id.index
        guard index < capacities.count, capacities[index] > 0 else { return 1 }
        return Double(loads[index]) / Double(capacities[index])
    }
}
