import Foundation

/// A trained bidding policy as saved in `policies/NAME.json`: everything needed to serve it
/// (architecture, actor weights, frozen observation normalisation, action set) and to trust it
/// (critic, hyperparameters, reward weights, training scenarios and their hashes, evaluation).
/// Versioned: a reader refuses a format or version it does not know.
public struct PolicyCheckpoint: Codable, Sendable {
    public static let formatName = "tender-ppo-policy"
    public static let currentVersion = 1

    public var format = formatName
    public var version = currentVersion
    public var name: String
    public var createdAt: String
    public var architecture: Architecture
    /// `Observation.featureNames` at training time; serving reads them by name and refuses a
    /// list that is not this build's or a prefix of it (features are only ever appended).
    public var features: [String]
    public var actions: BidActions
    /// Actor parameters, layer by layer: input-major weights (`W[i][o]`), then biases.
    public var actorWeights: [Double]
    public var criticWeights: [Double]
    public var normalisation: Normalisation?
    /// The trainer's hyperparameters and reward weights, as free-form numbers and strings.
    public var hyperparameters: [String: String]
    public var training: Training
    public var evaluation: [EvaluationRow]
    /// How this policy was chosen among trainings of several seeds (nil for a single training).
    public var selection: Selection?

    public struct Architecture: Codable, Sendable, Hashable {
        public var inputs: Int
        public var hidden: [Int]
        public var outputs: Int
        /// `tanh` or `relu`, between hidden layers; the output is linear.
        public var activation: String
        public init(inputs: Int, hidden: [Int], outputs: Int, activation: String) {
            self.inputs = inputs
            self.hidden = hidden
            self.outputs = outputs
            self.activation = activation
        }
        /// Parameters of a network of this shape with `outputs` outputs.
        public func parameterCount(outputs: Int) -> Int {
            let sizes = [inputs] + hidden + [outputs]
            return zip(sizes, sizes.dropFirst()).reduce(0) { $0 + $1.0 * $1.1 + $1.1 }
        }
    }

    public struct Normalisation: Codable, Sendable, Hashable {
        public var mean: [Double]
        public var variance: [Double]
        public init(mean: [Double], variance: [Double]) {
            self.mean = mean
            self.variance = variance
        }
    }

    public struct Training: Codable, Sendable, Hashable {
        public var command: String
        public var seed: UInt64
        public var steps: Int
        public var wallSeconds: Double
        /// Scenario names with the FNV-1a 64 hash of their generated definition.
        public var scenarios: [String: String]
        public init(command: String, seed: UInt64, steps: Int, wallSeconds: Double, scenarios: [String: String]) {
            self.command = command
            self.seed = seed
            self.steps = steps
            self.wallSeconds = wallSeconds
            self.scenarios = scenarios
        }
    }

    /// One evaluation result: a policy or allocator on a set of storms, with a 95% interval.
    public struct EvaluationRow: Codable, Sendable, Hashable {
        public var storms: String
        public var allocator: String
        public var meanTTR: Double
        public var meanTTRConfidence95: Double
        public var escalatedShare: Double
        public var criticalBreachRate: Double
        /// Share of incidents still open when the storm ended (not in the mean TTR, which is
        /// over resolved incidents: a policy that defers work lowers it by leaving work open).
        public var openShare: Double
        /// Mean capability-normalised Jain index of work across the storms (nil in old rows).
        public var jainIndex: Double?
        /// Mean across the storms of the simulator's `ttr_lower_bound_s` (every incident served at
        /// once by its fastest specialist, no failure): the same for every row on the same storms,
        /// so `meanTTR` can be read against it (nil in old rows).
        public var ttrLowerBound: Double?
        /// Whether awards weighed track records (contract-net rows; nil in old rows).
        public var reputation: Bool?
        /// Bidding policies only: mean bid ÷ honest ETA (below 1 promises less time than it
        /// needs), and the share of calls refused by a capable specialist with a free slot.
        public var meanBidMultiplier: Double?
        public var refusalShare: Double?
        /// Mean over storms of the specialists' calibration in the engine's track record
        /// (delivered ÷ promised time; about 1 keeps its word, 3 takes three times as long).
        public var calibration: Double?
        /// Each storm's mean TTR, in seed order (paired comparisons between rows).
        public var stormTTRs: [Double]?
        /// Share of incidents resolved although they had waited for a specialist past 90% of
        /// their SLA window: live, where the engine's SLA-risk rule is on, each would have been
        /// escalated `sla_at_risk` (the simulator turns the rule off). `escalatedShare` plus this
        /// is the share a live coordinator would escalate (nil in old rows).
        public var slaRiskShare: Double?

        /// The share of incidents a live coordinator would escalate: the simulator's escalations
        /// plus those its SLA-risk rule would add.
        public var liveEscalatedShare: Double { escalatedShare + (slaRiskShare ?? 0) }

        // Spelled so the snake-case coders map `mean_ttr` both ways (`meanTTR` would not).
        enum CodingKeys: String, CodingKey {
            case storms, allocator, escalatedShare, criticalBreachRate, openShare, jainIndex, ttrLowerBound
            case reputation, meanBidMultiplier, refusalShare, calibration, slaRiskShare
            case meanTTR = "meanTtr"
            case meanTTRConfidence95 = "meanTtrConfidence95"
            case stormTTRs = "stormTtrs"
        }

        public init(
            storms: String, allocator: String, meanTTR: Double, meanTTRConfidence95: Double, escalatedShare: Double,
            criticalBreachRate: Double, openShare: Double, jainIndex: Double? = nil, ttrLowerBound: Double? = nil,
            reputation: Bool? = nil, meanBidMultiplier: Double? = nil, refusalShare: Double? = nil, calibration: Double? = nil,
            stormTTRs: [Double]? = nil, slaRiskShare: Double? = nil
        ) {
            self.slaRiskShare = slaRiskShare
            self.reputation = reputation
            self.meanBidMultiplier = meanBidMultiplier
            self.refusalShare = refusalShare
            self.calibration = calibration
            self.stormTTRs = stormTTRs
            self.ttrLowerBound = ttrLowerBound
            self.openShare = openShare
            self.jainIndex = jainIndex
            self.storms = storms
            self.allocator = allocator
            self.meanTTR = meanTTR
            self.meanTTRConfidence95 = meanTTRConfidence95
            self.escalatedShare = escalatedShare
            self.criticalBreachRate = criticalBreachRate
        }
    }

    public init(
        name: String, createdAt: String, architecture: Architecture, actions: BidActions, actorWeights: [Double],
        criticWeights: [Double], normalisation: Normalisation?, hyperparameters: [String: String], training: Training,
        evaluation: [EvaluationRow]
    ) {
        self.name = name
        self.createdAt = createdAt
        self.architecture = architecture
        features = Observation.featureNames
        self.actions = actions
        self.actorWeights = actorWeights
        self.criticWeights = criticWeights
        self.normalisation = normalisation
        self.hyperparameters = hyperparameters
        self.training = training
        self.evaluation = evaluation
    }

    /// Everything wrong with the checkpoint, in words (empty when it can be served).
    public var problems: [String] {
        var problems: [String] = []
        if format != Self.formatName { problems.append("format is `\(format)`, expected `\(Self.formatName)`") }
        if version != Self.currentVersion { problems.append("version \(version) is not supported (this build reads \(Self.currentVersion))") }
        // Features are only ever appended, so a checkpoint trained on a prefix of this build's
        // features is served by reading that prefix.
        if features.isEmpty || !Observation.featureNames.starts(with: features) {
            problems.append("features \(features) are not this build's observation features \(Observation.featureNames) or a prefix of them")
        }
        if architecture.inputs != features.count { problems.append("architecture.inputs is \(architecture.inputs), expected \(features.count) (one per feature)") }
        if architecture.outputs != actions.count { problems.append("architecture.outputs is \(architecture.outputs), expected \(actions.count) (refuse + multipliers)") }
        if architecture.hidden.isEmpty || architecture.hidden.contains(where: { $0 < 1 }) { problems.append("architecture.hidden must list positive widths") }
        if !["tanh", "relu"].contains(architecture.activation) { problems.append("architecture.activation is `\(architecture.activation)`, expected tanh or relu") }
        let expected = architecture.parameterCount(outputs: architecture.outputs)
        if actorWeights.count != expected { problems.append("actor_weights has \(actorWeights.count) numbers, expected \(expected)") }
        if !criticWeights.isEmpty, criticWeights.count != architecture.parameterCount(outputs: 1) {
            problems.append("critic_weights has \(criticWeights.count) numbers, expected \(architecture.parameterCount(outputs: 1))")
        }
        if !actorWeights.allSatisfy(\.isFinite) { problems.append("actor_weights contains a non-finite number") }
        if let normalisation, normalisation.mean.count != architecture.inputs || normalisation.variance.count != architecture.inputs {
            problems.append("normalisation needs \(architecture.inputs) means and variances")
        }
        if let normalisation, normalisation.variance.contains(where: { !($0 >= 0) }) { problems.append("normalisation.variance must be non-negative") }
        if actions.multipliers.contains(where: { !($0 > 0) }) { problems.append("actions.multipliers must be positive") }
        return problems
    }

    /// Reads and checks a checkpoint file.
    public static func load(path: String) throws -> PolicyCheckpoint {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw CheckpointError(path: path, message: "cannot be read: \(error.localizedDescription)")
        }
        let checkpoint: PolicyCheckpoint
        do {
            checkpoint = try JSONDecoder.snakeCase.decode(PolicyCheckpoint.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw CheckpointError(path: path, message: "is missing `\((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))`")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw CheckpointError(path: path, message: "has a wrong value at `\(context.codingPath.map(\.stringValue).joined(separator: "."))`: \(context.debugDescription)")
        } catch {
            throw CheckpointError(path: path, message: "is not a policy checkpoint: \(error)")
        }
        let problems = checkpoint.problems
        guard problems.isEmpty else { throw CheckpointError(path: path, message: problems.joined(separator: "; ")) }
        return checkpoint
    }

    public func write(path: String) throws {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}

/// A checkpoint that cannot be used, with its path and why.
public struct CheckpointError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var message: String
    public var description: String { "\(path): \(message)" }
}

extension JSONDecoder {
    static var snakeCase: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }
}
