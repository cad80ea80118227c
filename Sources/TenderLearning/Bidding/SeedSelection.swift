import Foundation
import TenderCore

/// Model selection across candidates of the same recipe (training seeds, and fairness-credit
/// weights when several are given). PPO at the documented budget is seed-sensitive (one seed
/// in three was 2.8× slower on held-out storms), so `tender train --seeds` trains several and
/// keeps one, chosen on **validation storms** of two kinds, never on the storms the checkpoint's
/// evaluation reports:
///
/// - the training family's generator with seeds no training run draws (training draws 64-bit
///   seeds from its own generator; validation uses the small fixed range from 20000);
/// - the held-out family's generator with seeds from 30000, apart from the 10000… storms the
///   held-out evaluation reports. This is the issue's "held-out family of your own in
///   validation": thin and large rotas, longer and heavier storms than training ever draws,
///   where honest bidding is even (Jain above 0.9), so the Jain floor bites at 0.9 as it does
///   on the held-out test; on the training family's small rotas even honest bidding stays near
///   0.8, and a bare 0.9 would rule every candidate out.
///
/// The rule follows the goals: among candidates that, on every validation set, escalate
/// at most 1% of incidents and keep a capability-normalised Jain index of at least min(0.9,
/// honest's on the same storms), the lowest mean TTR wins (the sets' mean TTRs averaged, each
/// set weighing the same). Escalations are counted as a live coordinator would escalate
/// (`liveEscalatedShare`): the simulator's, plus the incidents left waiting past the SLA-risk
/// point, which the simulator does not page on but production does, so a policy cannot pass by
/// leaving hard work waiting. If none meets every constraint, the candidate closest to meeting
/// them is kept, escalations first (refusing hard work must never be what wins): the fewest
/// sets over the escalation limit, then (when over it somewhere) the lowest worst-set
/// escalation share, then the smallest Jain shortfall below the floors (a miss by 0.001 is not
/// a miss by 0.01), then the lowest mean TTR. Ties go to the earlier candidate, so the choice is
/// deterministic.
public enum SeedSelection {
    public static let escalationLimit = 0.01
    public static let jainFloor = 0.9
    /// First seed of the training-family validation storms (held-out storms are 10000 onwards, of another family).
    public static let validationSeedBase: UInt64 = 20_000
    /// First seed of the held-out-family validation storms (the reported evaluation uses 10000…).
    public static let holdoutValidationSeedBase: UInt64 = 30_000

    public static let rule = "lowest mean validation TTR (each validation set weighing the same) among candidates that on every set escalate ≤ 1% "
        + "(as live: with the SLA-risk rule) with Jain ≥ min(0.9, honest's on the same storms); "
        + "else fewest sets escalating > 1%, then lowest worst-set escalations (when any is over), then smallest Jain shortfall below the floors, "
        + "then lowest mean TTR; ties to the earlier candidate"

    /// One validation set: which family, which seeds.
    public struct ValidationSet: Sendable {
        public var kind: StormFamily.Kind
        public var seeds: [UInt64]

        /// The training family's validation storms.
        public static func training(count: Int) -> ValidationSet {
            ValidationSet(kind: .training, seeds: seeds(from: validationSeedBase, count: count))
        }

        /// The held-out family's validation storms, apart from the reported evaluation's.
        public static func holdout(count: Int) -> ValidationSet {
            ValidationSet(kind: .holdout, seeds: seeds(from: holdoutValidationSeedBase, count: count))
        }

        static func seeds(from base: UInt64, count: Int) -> [UInt64] { (0..<UInt64(max(count, 0))).map { base + $0 } }

        public var description: String {
            let range = seeds.isEmpty ? "none" : "seeds \(seeds.first!)–\(seeds.last!)"
            return kind == .training
                ? "training ×\(seeds.count) (\(range), never drawn in training)"
                : "holdout ×\(seeds.count) (\(range), apart from the evaluation's 10000…)"
        }
    }

    /// The Jain floor given honest bidding's Jain index on the same storms (nil: unknown, 0.9).
    public static func jainFloor(honest: Double?) -> Double {
        guard let honest, honest.isFinite else { return jainFloor }
        return min(jainFloor, honest)
    }

    /// Whether a validation row meets both constraints.
    public static func meetsConstraints(_ row: PolicyCheckpoint.EvaluationRow, jainFloor floor: Double = jainFloor) -> Bool {
        row.meanTTR.isFinite && row.liveEscalatedShare <= escalationLimit && (row.jainIndex ?? 0) >= floor
    }

    /// Whether a candidate's rows (one per validation set) all meet the constraints, each set with its floor.
    public static func meetsConstraints(_ rows: [PolicyCheckpoint.EvaluationRow], jainFloors: [Double]) -> Bool {
        !rows.isEmpty && zip(rows, jainFloors).allSatisfy { meetsConstraints($0, jainFloor: $1) }
    }

    /// The index of the candidate to keep, or nil for an empty list (one validation set).
    public static func choose(_ rows: [PolicyCheckpoint.EvaluationRow], jainFloor floor: Double = jainFloor) -> Int? {
        choose(rows.map { [$0] }, jainFloors: [floor])
    }

    /// The index of the candidate to keep, or nil for an empty list: `candidates[i]` holds
    /// candidate i's rows, one per validation set, in the order of `jainFloors`. Candidates are
    /// ordered by: a finite mean TTR first; then the fewest sets where escalations exceed the
    /// limit; then, among candidates that escalate too much somewhere, the lowest worst-set
    /// escalation share; then the smallest Jain shortfall (how far below its floor each set's
    /// Jain index is, summed; 0 when every floor is met); then the lowest mean TTR; then the
    /// earlier candidate. With every constraint met by some candidate this is the fastest of
    /// those; otherwise the candidate closest to meeting them, escalations first.
    public static func choose(_ candidates: [[PolicyCheckpoint.EvaluationRow]], jainFloors: [Double]) -> Int? {
        func key(_ rows: [PolicyCheckpoint.EvaluationRow]) -> (Int, Int, Double, Double, Double) {
            let ttr = rows.isEmpty ? Double.nan : rows.reduce(0) { $0 + $1.meanTTR } / Double(rows.count)
            let escalationMisses = rows.filter { !($0.liveEscalatedShare <= escalationLimit) }.count
            let worst = escalationMisses > 0 ? rows.map(\.liveEscalatedShare).max() ?? .infinity : 0
            let shortfall = zip(rows, jainFloors).reduce(0.0) { sum, pair in
                guard let jain = pair.0.jainIndex, jain.isFinite else { return sum + pair.1 }
                return sum + max(0, pair.1 - jain)
            }
            return (ttr.isFinite ? 0 : 1, escalationMisses, worst, shortfall, ttr.isFinite ? ttr : .infinity)
        }
        let keys = candidates.map(key)
        return keys.indices.min { keys[$0] < keys[$1] }
    }
}
