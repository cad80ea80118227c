/// Every PPO hyperparameter in one place, named and defaulted as CleanRL's `ppo.py`.
public struct PPOConfig: Sendable, Codable, Hashable {
    /// Seed of every random draw in training (initialisation, sampling, shuffling, environments).
    public var seed: UInt64 = 1
    /// Environment steps to train for, summed over the parallel environments.
    public var totalSteps = 500_000
    /// Adam's learning rate at the start (annealed linearly to 0 when `annealLearningRate`).
    public var learningRate = 2.5e-4
    /// Environments stepped in lockstep per rollout.
    public var environments = 4
    /// Steps per environment per rollout; the batch is `environments × stepsPerRollout`.
    public var stepsPerRollout = 128
    /// Whether the learning rate falls linearly to 0 over training.
    public var annealLearningRate = true
    /// Discount factor γ.
    public var gamma = 0.99
    /// GAE's λ.
    public var gaeLambda = 0.95
    /// Minibatches per epoch.
    public var minibatches = 4
    /// Passes over each rollout.
    public var epochs = 4
    /// Whether advantages are normalised per minibatch.
    public var normaliseAdvantages = true
    /// Surrogate clipping coefficient ε.
    public var clipCoefficient = 0.2
    /// Whether the value loss is clipped around the rollout's values (same ε).
    public var clipValueLoss = true
    /// Weight of the entropy bonus.
    public var entropyCoefficient = 0.01
    /// Weight of the value loss.
    public var valueCoefficient = 0.5
    /// Global gradient-norm clip.
    public var maxGradientNorm = 0.5
    /// Stop an update's epochs early once approximate KL exceeds this (nil: never).
    public var targetKL: Double? = nil
    /// Hidden layer widths of both the actor and the critic.
    public var hidden = [64, 64]
    /// Hidden activation of both networks.
    public var activation = Activation.tanh
    /// Whether observations are normalised by running mean and variance (frozen in checkpoints).
    public var normaliseObservations = false

    public init() {}

    /// Transitions per rollout.
    public var batchSize: Int { environments * stepsPerRollout }
    /// Transitions per minibatch.
    public var minibatchSize: Int { batchSize / max(minibatches, 1) }
    /// Rollout–update iterations in the whole run.
    public var iterations: Int { max(totalSteps / max(batchSize, 1), 1) }

    /// A readable complaint about an impossible setting, or nil.
    public var problem: String? {
        if environments < 1 { return "environments must be at least 1" }
        if stepsPerRollout < 1 { return "stepsPerRollout must be at least 1" }
        if minibatches < 1 || minibatches > batchSize { return "minibatches must be from 1 to the batch size \(batchSize)" }
        if epochs < 1 { return "epochs must be at least 1" }
        if !(learningRate > 0) { return "learningRate must be positive" }
        if !(0...1).contains(gamma) || !(0...1).contains(gaeLambda) { return "gamma and gaeLambda must be in [0, 1]" }
        if hidden.isEmpty || hidden.contains(where: { $0 < 1 }) { return "hidden widths must be positive" }
        return nil
    }
}
