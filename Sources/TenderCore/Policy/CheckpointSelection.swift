import Foundation

extension PolicyCheckpoint {
    /// The record of a multi-seed training (`tender train --seeds`): every candidate's score on
    /// the validation storms, the rule, and which candidate was kept. The held-out family plays
    /// no part in it, so the checkpoint's held-out evaluation stays an unbiased test.
    public struct Selection: Codable, Sendable, Hashable {
        /// The validation storms, e.g. `training ×32 (seeds 20000–20031)`.
        public var validation: String
        /// The rule in words, as applied.
        public var rule: String
        /// Honest bidding on the same validation storms (the reference for the Jain floor).
        public var honest: EvaluationRow?
        /// The Jain index a candidate must reach: min(0.9, honest's).
        public var jainFloor: Double
        /// The training seed of the kept candidate.
        public var keptSeed: UInt64
        /// Whether the kept candidate met every constraint (false: the rule's fallback chose it).
        public var keptMeetsConstraints: Bool
        public var candidates: [Candidate]

        public init(validation: String, rule: String, honest: EvaluationRow?, jainFloor: Double, keptSeed: UInt64,
                    keptMeetsConstraints: Bool, candidates: [Candidate]) {
            self.validation = validation
            self.honest = honest
            self.jainFloor = jainFloor
            self.rule = rule
            self.keptSeed = keptSeed
            self.keptMeetsConstraints = keptMeetsConstraints
            self.candidates = candidates
        }
    }

    /// One training seed's result on the validation storms.
    public struct Candidate: Codable, Sendable, Hashable {
        public var seed: UInt64
        public var validation: EvaluationRow
        /// Escalations and Jain within the selection's constraints.
        public var meetsConstraints: Bool
        public var trainingWallSeconds: Double

        public init(seed: UInt64, validation: EvaluationRow, meetsConstraints: Bool, trainingWallSeconds: Double) {
            self.seed = seed
            self.validation = validation
            self.meetsConstraints = meetsConstraints
            self.trainingWallSeconds = trainingWallSeconds
        }
    }
}
