/// Fairness of how work has been spread over the pool, kept up to date as work is awarded.
///
/// Two views: **raw**, over each specialist's accumulated work, and **normalised**, over work
/// divided by capability, so a specialist that can do twice as much is expected to get twice as
/// much. (A specialist's share divided by its capability share is proportional to work ÷
/// capability, and every index here is scale-invariant, so the two are the same measure.)
///
/// Jain's index is updated in O(1) per award from running sums; Gini and max/min share sort
/// the n values when read.
public struct FairnessTracker: Sendable {
    /// Capability of each specialist (same indexing as `SpecialistID.index`).
    public private(set) var capabilities: [Double]
    public private(set) var work: [Double]
    private var raw = RunningSums()
    private var normalised = RunningSums()

    public init(capabilities: [Double]) {
        self.capabilities = capabilities.map { max($0, .leastNormalMagnitude) }
        work = Array(repeating: 0, count: capabilities.count)
        raw.count = capabilities.count
        normalised.count = capabilities.count
    }

    /// Add `amount` of work (seconds of service, or 1 per task) to a specialist.
    public mutating func record(_ specialist: Int, work amount: Double) {
        precondition(specialist < work.count, "unknown specialist \(specialist)")
        let before = work[specialist]
        let after = before + amount
        work[specialist] = after
        raw.replace(before, with: after)
        normalised.replace(before / capabilities[specialist], with: after / capabilities[specialist])
    }

    /// Make room for a specialist that joined later (its work starts at zero).
    public mutating func add(capability: Double) {
        capabilities.append(max(capability, .leastNormalMagnitude))
        work.append(0)
        raw.count += 1
        normalised.count += 1
    }

    public var snapshot: FairnessSnapshot {
        FairnessSnapshot(
            raw: FairnessIndices(values: work, sums: raw),
            normalised: FairnessIndices(values: zip(work, capabilities).map { $0 / $1 }, sums: normalised)
        )
    }

    /// Each specialist's fraction of all work so far.
    public var shares: [Double] {
        let total = work.reduce(0, +)
        return total > 0 ? work.map { $0 / total } : work.map { _ in 0 }
    }
}

/// Running Σx and Σx² for Jain's index.
struct RunningSums: Sendable {
    var count = 0
    var sum = 0.0
    var sumOfSquares = 0.0

    mutating func replace(_ old: Double, with new: Double) {
        sum += new - old
        sumOfSquares += new * new - old * old
    }

    /// (Σx)² / (n·Σx²); 1 when nothing has been recorded (nobody is treated worse than anybody).
    var jain: Double {
        guard count > 0, sumOfSquares > 0 else { return 1 }
        return min(1, sum * sum / (Double(count) * sumOfSquares))
    }
}

/// Both views of fairness at one moment.
public struct FairnessSnapshot: Sendable, Hashable, Codable {
    public var raw: FairnessIndices
    public var normalised: FairnessIndices
}

/// Jain's index (1 is perfectly fair, 1/n is one specialist doing everything), the Gini
/// coefficient (0 is perfectly fair) and the ratio of the largest to the smallest share.
public struct FairnessIndices: Sendable, Hashable, Codable {
    public var jain: Double
    public var gini: Double
    /// Largest share over smallest; nil while some specialist has none.
    public var maxMinRatio: Double?

    init(values: [Double], sums: RunningSums) {
        jain = sums.jain
        gini = Self.gini(values)
        let smallest = values.min() ?? 0
        maxMinRatio = smallest > 0 ? (values.max() ?? 0) / smallest : nil
    }

    public init(values: [Double]) {
        var sums = RunningSums()
        sums.count = values.count
        for value in values { sums.replace(0, with: value) }
        self.init(values: values, sums: sums)
    }

    /// G = 2·Σ i·x₍ᵢ₎ / (n·Σx) − (n+1)/n over the values sorted ascending, i from 1.
    static func gini(_ values: [Double]) -> Double {
        let total = values.reduce(0, +)
        guard values.count > 1, total > 0 else { return 0 }
        let n = Double(values.count)
        let weighted = values.sorted().enumerated().reduce(0.0) { $0 + Double($1.offset + 1) * $1.element }
        return max(0, 2 * weighted / (n * total) - (n + 1) / n)
    }
}
