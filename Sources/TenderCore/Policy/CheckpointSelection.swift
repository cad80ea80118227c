import Foundation

extension PolicyCheckpoint {
    /// The record of a multi-candidate training (`tender train --seeds`, optionally over several
    /// `--fairness-credits`): every candidate's score on the validation storms, the rule, and
    /// which candidate was kept. The storms the checkpoint's held-out evaluation reports play no
    /// part in it, so that evaluation stays an unbiased test.
    public struct Selection: Codable, Sendable, Hashable {
        /// The training-family validation storms, e.g. `training ×32 (seeds 20000–20031)`.
        public var validation: String
        /// The rule in words, as applied.
        public var rule: String
        /// Honest bidding on the same validation storms (the reference for the Jain floor).
        public var honest: EvaluationRow?
        /// The Jain index a candidate must reach there: min(0.9, honest's).
        public var jainFloor: Double
        /// The held-out-family validation storms (seeds apart from the evaluation's), when used;
        /// nil in checkpoints selected before they were.
        public var holdoutValidation: String?
        /// Honest bidding on the held-out-family validation storms.
        public var holdoutHonest: EvaluationRow?
        /// The Jain index a candidate must reach on them: min(0.9, honest's).
        public var holdoutJainFloor: Double?
        /// The training seed of the kept candidate.
        public var keptSeed: UInt64
        /// The kept candidate's fairness-credit weight (nil: the command's only weight).
        public var keptFairnessCredit: Double?
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

    /// One candidate's result on the validation storms.
    public struct Candidate: Codable, Sendable, Hashable {
        public var seed: UInt64
        /// Its fairness-credit weight, when the training compared several (nil otherwise).
        public var fairnessCredit: Double?
        /// On the training-family validation storms.
        public var validation: EvaluationRow
        /// On the held-out-family validation storms (nil when the selection had none).
        public var holdoutValidation: EvaluationRow?
        /// Escalations and Jain within the selection's constraints on every validation set.
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
