import Foundation
import TenderCore

/// One point of `tender tune`'s search: PPO hyperparameters and reward weights for one trial.
/// Keys encode in snake case (the leaderboard's columns).
public struct TrialHyperparameters: Sendable, Codable, Hashable {
    public var learningRate: Double
    public var entropyCoefficient: Double
    public var clipCoefficient: Double
    public var epochs: Int
    public var minibatches: Int
    /// Inert for bidding (every decision is a one-step episode, advantage = reward − V), searched
    /// anyway so a multi-step credit rule can reuse the search.
    public var gamma: Double
    public var gaeLambda: Double
    public var rewardTTR: Double
    /// Multiplies every severity's breach penalty (critical 4, high 2, medium 1, low 0.5).
    public var rewardBreachScale: Double
    public var rewardEscalation: Double
    public var rewardOpen: Double
    public var rewardFairness: Double

    enum CodingKeys: String, CodingKey {
        case learningRate = "learning_rate"
        case entropyCoefficient = "entropy_coefficient"
        case clipCoefficient = "clip_coefficient"
        case epochs, minibatches, gamma
        case gaeLambda = "gae_lambda"
        case rewardTTR = "reward_ttr"
        case rewardBreachScale = "reward_breach_scale"
        case rewardEscalation = "reward_escalation"
        case rewardOpen = "reward_open"
        case rewardFairness = "reward_fairness"
    }

    /// The reward weights this trial trains with.
    public var weights: RewardWeights {
        var weights = RewardWeights()
        weights.ttr = rewardTTR
        weights.breach = weights.breach.map { $0 * rewardBreachScale }
        weights.escalation = rewardEscalation
        weights.open = rewardOpen
        weights.fairness = rewardFairness
        return weights
    }
}

/// The random search's ranges, drawn from a seeded generator so a seed replays the same trials.
/// Scales (learning rate, entropy) are log-uniform; the rest uniform or from a short list.
public enum TuningSpace {
    public static let learningRate = 1e-4...1e-3
    public static let entropyCoefficient = 1e-3...3e-2
    public static let clipCoefficients = [0.1, 0.2, 0.3]
    public static let epochs = 2...8
    public static let minibatches = [4, 8, 16]
    public static let gamma = 0.95...0.999
    public static let gaeLambda = 0.8...0.99
    public static let rewardTTR = 0.5...2.0
    public static let rewardBreachScale = 0.5...2.0
    public static let rewardEscalation = 3.0...12.0
    public static let rewardOpen = 1.0...6.0
    public static let rewardFairness = 0.0...2.0

    /// `count` trials and the training seed of each.
    public static func sample(count: Int, seed: UInt64) -> [(seed: UInt64, hyperparameters: TrialHyperparameters)] {
        var random = SeededGenerator(seed: seed)
        return (0..<max(count, 0)).map { _ in
            let trial = TrialHyperparameters(
                learningRate: logUniform(learningRate, &random),
                entropyCoefficient: logUniform(entropyCoefficient, &random),
                clipCoefficient: pick(clipCoefficients, &random),
                epochs: epochs.lowerBound + Int(random.nextUnit() * Double(epochs.count)),
                minibatches: pick(minibatches, &random),
                gamma: uniform(gamma, &random), gaeLambda: uniform(gaeLambda, &random),
                rewardTTR: uniform(rewardTTR, &random), rewardBreachScale: uniform(rewardBreachScale, &random),
                rewardEscalation: uniform(rewardEscalation, &random), rewardOpen: uniform(rewardOpen, &random),
                rewardFairness: uniform(rewardFairness, &random)
            )
            return (random.next() >> 1, trial)
        }
    }

    static func uniform(_ range: ClosedRange<Double>, _ random: inout SeededGenerator) -> Double {
        range.lowerBound + random.nextUnit() * (range.upperBound - range.lowerBound)
    }

    static func logUniform(_ range: ClosedRange<Double>, _ random: inout SeededGenerator) -> Double {
        exp(log(range.lowerBound) + random.nextUnit() * (log(range.upperBound) - log(range.lowerBound)))
    }

    static func pick<T>(_ choices: [T], _ random: inout SeededGenerator) -> T {
        choices[min(Int(random.nextUnit() * Double(choices.count)), choices.count - 1)]
    }
}
