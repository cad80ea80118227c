/// A centralised planner with full information: it knows every specialist's mean service time per
/// category and severity and its skill, and picks the capable candidate with the minimum expected
/// completion time. Candidates all have a free slot, so completion is the skill-scaled service
/// time; ties go to the lower id.
///
/// This is the yardstick contract-net is measured against: the same choice an honest auction
/// makes, without the messages.
public final class CentralGreedyAllocator: DirectAllocator {
    /// Mean service seconds at full skill, flattened as `[specialist][category][severity]`.
    private var meanService: [Double] = []
    private static let stride = IncidentCategory.allCases.count * Severity.allCases.count

    public init() {}

    public var name: String { "central-greedy" }

    /// Tell the planner a specialist's mean service time for one category and severity.
    public func register(_ specialist: SpecialistID, meanService mean: (IncidentCategory, Severity) -> Double) {
        let base = specialist.index * Self.stride
        if meanService.count < base + Self.stride {
            meanService.append(contentsOf: repeatElement(.infinity, count: base + Self.stride - meanService.count))
        }
        for category in IncidentCategory.allCases {
            for severity in Severity.allCases {
                meanService[Self.slot(specialist, category, severity)] = mean(category, severity)
            }
        }
    }

    @inline(__always)
    private static func slot(_ id: SpecialistID, _ category: IncidentCategory, _ severity: Severity) -> Int {
        id.index * stride + category.rawValue * Severity.allCases.count + severity.rawValue
    }

    /// The planner's estimate for `specialist` on `ticket`: mean service divided by skill.
    public func expectedCompletion(_ specialist: SpecialistID, _ ticket: IncidentTicket, in table: SpecialistTable) -> Double {
        let slot = Self.slot(specialist, ticket.category, ticket.severity)
        let mean = slot < meanService.count ? meanService[slot] : .infinity
        return mean / max(table.skill(specialist, for: ticket.category), 0.01)
    }

    public func choose(for ticket: IncidentTicket, among candidates: [SpecialistID], in table: SpecialistTable) -> SpecialistID? {
        var best = candidates[0]
        var bestTime = expectedCompletion(best, ticket, in: table)
        for id in candidates.dropFirst() {
            let time = expectedCompletion(id, ticket, in: table)
            if time < bestTime || (time == bestTime && table.winsTie(id, over: best)) {
                best = id
                bestTime = time
            }
        }
        return best
    }
}
