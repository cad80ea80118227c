/// A bid decision's own share of the storm's fairness, for the reward: the shared term
/// `−w × (1 − J)` is the same for every decision of a storm, so PPO cannot tell which of them
/// made the allocation uneven. This credits each decision with the sign of its effect on the
/// capability-normalised Jain index J over x (each specialist's work ÷ capability): one more
/// task to specialist s moves J by ∂J/∂x_s ∝ Σx² − Σx·x_s, positive exactly when s is
/// under-served. Scaled by Σx² and clipped, each specialist's weight `u_s` lies in [−1, 1]
/// (1 for one that did nothing).
///
/// A win by s earns `u_s`; a refusal by s costs `u_s` (the task it declined would have
/// earned it); a bid that lost is neutral (another specialist's win is credited to that one).
public struct FairnessCredit: Sendable {
    public let weights: [Double]

    /// `values`: each specialist's work ÷ capability at the end of the storm.
    public init(values: [Double]) {
        let sum = values.reduce(0, +)
        let sumOfSquares = values.reduce(0) { $0 + $1 * $1 }
        weights = values.map { x in
            sumOfSquares > 0 ? min(max((sumOfSquares - sum * x) / sumOfSquares, -1), 1) : 0
        }
    }

    public func credit(_ specialist: Int, refused: Bool, won: Bool) -> Double {
        guard specialist < weights.count else { return 0 }
        if refused { return -weights[specialist] }
        return won ? weights[specialist] : 0
    }
}
