import TenderCore

/// `GET /v1/fairness`: how evenly awards are spread, against what each specialist can do.
///
/// Computed from award counts with TenderCore's `FairnessIndices`, in three scopes: all awards
/// since start, per category (against each specialist's skill in it), and a recent window.
/// Normalised indices divide each specialist's awards by its capability, so a specialist twice as
/// able is expected to win twice as often; raw indices do not.
public struct FairnessReport: Codable, Sendable, Hashable {
    public var total: FairnessScope
    public var perCategory: [String: FairnessScope]
    public var window: FairnessScope
    public var windowSeconds: Double

    public init(_ snapshot: AllocationSnapshot) {
        let rows = snapshot.rows
        let capability: (AllocationSnapshot.Row) -> Double = { row in
            Double(row.capacity) * IncidentCategory.allCases.reduce(0) { $0 + row.skills[$1] } / Double(IncidentCategory.allCases.count)
        }
        total = FairnessScope(rows.map { ($0.name, Self.sum($0.wins), capability($0)) })
        window = FairnessScope(rows.map { ($0.name, Self.sum($0.windowWins), capability($0)) })
        var perCategory: [String: FairnessScope] = [:]
        for category in IncidentCategory.allCases {
            perCategory[category.name] = FairnessScope(rows.map { ($0.name, $0.wins[category], Double($0.capacity) * $0.skills[category]) })
        }
        self.perCategory = perCategory
        windowSeconds = snapshot.windowSeconds
    }

    private static func sum(_ wins: PerCategory<Int>) -> Int {
        IncidentCategory.allCases.reduce(0) { $0 + wins[$1] }
    }
}

/// Fairness over one set of awards.
public struct FairnessScope: Codable, Sendable, Hashable {
    public var awards: Int
    /// Jain's index over awards ÷ capability (1 is fair).
    public var jain: Double
    /// Gini coefficient over awards ÷ capability (0 is fair).
    public var gini: Double
    /// The same two over raw award counts.
    public var jainRaw: Double
    public var giniRaw: Double
    public var specialists: [ShareRow]

    /// One specialist's share of the awards against its share of capability.
    public struct ShareRow: Codable, Sendable, Hashable {
        public var name: String
        public var wins: Int
        public var winShare: Double
        public var capabilityShare: Double
    }

    /// From (name, awards, capability) triples. Specialists with no capability in this scope take
    /// no part in the indices (a network specialist is not "unfair" for winning no database work).
    init(_ entries: [(name: String, wins: Int, capability: Double)]) {
        let awards = entries.reduce(0) { $0 + $1.wins }
        self.awards = awards
        let capabilityTotal = entries.reduce(0) { $0 + max(0, $1.capability) }
        specialists = entries.map { entry in
            ShareRow(
                name: entry.name, wins: entry.wins,
                winShare: awards > 0 ? Double(entry.wins) / Double(awards) : 0,
                capabilityShare: capabilityTotal > 0 ? max(0, entry.capability) / capabilityTotal : 0
            )
        }
        let able = entries.filter { $0.capability > 0 }
        let normalised = FairnessIndices(values: able.map { Double($0.wins) / $0.capability })
        let raw = FairnessIndices(values: able.map { Double($0.wins) })
        jain = normalised.jain
        gini = normalised.gini
        jainRaw = raw.jain
        giniRaw = raw.gini
    }
}
