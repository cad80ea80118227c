import Foundation

/// One minibatch of transitions, as contiguous rows (pointers into the trainer's buffers).
public struct Minibatch {
    public var size: Int
    /// `size × observationSize`, already normalised if the trainer normalises.
    public var observations: UnsafePointer<Double>
    /// `size × actionCount`, or nil when every action is always valid.
    public var masks: UnsafePointer<Bool>?
    public var actions: UnsafePointer<Int32>
    public var oldLogProbabilities: UnsafePointer<Double>
    public var advantages: UnsafePointer<Double>
    public var returns: UnsafePointer<Double>
    public var oldValues: UnsafePointer<Double>

    public init(
        size: Int, observations: UnsafePointer<Double>, masks: UnsafePointer<Bool>?, actions: UnsafePointer<Int32>,
        oldLogProbabilities: UnsafePointer<Double>, advantages: UnsafePointer<Double>, returns: UnsafePointer<Double>,
        oldValues: UnsafePointer<Double>
    ) {
        self.size = size
        self.observations = observations
        self.masks = masks
        self.actions = actions
        self.oldLogProbabilities = oldLogProbabilities
        self.advantages = advantages
        self.returns = returns
        self.oldValues = oldValues
    }
}

/// The loss terms and diagnostics of one minibatch, named as CleanRL logs them.
public struct LossStats: Sendable, Hashable {
    public var total = 0.0
    public var policyLoss = 0.0
    public var valueLoss = 0.0
    public var entropy = 0.0
    /// k3 estimator of KL(old ‖ new): mean((r − 1) − log r).
    public var approxKL = 0.0
    /// The older estimator, mean(−log r), logged beside it.
    public var oldApproxKL = 0.0
    /// Share of samples whose ratio left [1 − ε, 1 + ε].
    public var clipFraction = 0.0
}

/// CleanRL's PPO loss for a categorical actor and a scalar critic, with its exact gradient:
/// `L = pg − c_e·H + c_v·V`, where pg is the clipped surrogate over (per-minibatch normalised)
/// advantages, H the mean entropy and V half the (optionally clipped) squared value error.
/// `evaluate` writes ∂L/∂θ into both networks' gradient buffers (after zeroing them).
public final class PPOLoss {
    public let config: PPOConfig
    public let actionCount: Int
    private var capacity = 0
    private var logProbabilities: UnsafeMutablePointer<Double>
    private var logitGradient: UnsafeMutablePointer<Double>
    private var valueGradient: UnsafeMutablePointer<Double>

    public init(config: PPOConfig, actionCount: Int) {
        self.config = config
        self.actionCount = actionCount
        logProbabilities = .allocate(capacity: 1)
        logitGradient = .allocate(capacity: 1)
        valueGradient = .allocate(capacity: 1)
    }

    deinit {
        logProbabilities.deallocate()
        logitGradient.deallocate()
        valueGradient.deallocate()
    }

    private func reserve(_ size: Int) {
        guard size > capacity else { return }
        logProbabilities.deallocate()
        logitGradient.deallocate()
        valueGradient.deallocate()
        logProbabilities = .allocate(capacity: size * actionCount)
        logitGradient = .allocate(capacity: size * actionCount)
        valueGradient = .allocate(capacity: size)
        capacity = size
    }

    /// The loss of `batch` under the networks' current parameters; with `gradients` it also
    /// zeroes and fills both networks' gradient buffers.
    @discardableResult
    public func evaluate(actor: MLP, critic: MLP, batch: Minibatch, gradients: Bool = true) -> LossStats {
        let n = batch.size
        let a = actionCount
        reserve(n)
        let inverse = 1 / Double(n)

        // Advantage normalisation over this minibatch (torch's unbiased std, + 1e-8).
        var mean = 0.0, variance = 0.0
        if config.normaliseAdvantages {
            for k in 0..<n { mean += batch.advantages[k] }
            mean *= inverse
            for k in 0..<n { variance += (batch.advantages[k] - mean) * (batch.advantages[k] - mean) }
            variance /= Double(max(n - 1, 1))
        }
        let scale = config.normaliseAdvantages ? 1 / (variance.squareRoot() + 1e-8) : 1
        let shift = config.normaliseAdvantages ? mean : 0

        let logits = actor.forward(batch.observations, batch: n)
        let values = critic.forward(batch.observations, batch: n)
        var stats = LossStats()
        let epsilon = config.clipCoefficient
        for k in 0..<n {
            let row = logProbabilities + k * a
            Categorical.logSoftmax(logits + k * a, mask: batch.masks.map { $0 + k * a }, count: a, into: row)
            let action = Int(batch.actions[k])
            let logRatio = row[action] - batch.oldLogProbabilities[k]
            let ratio = exp(logRatio)
            stats.oldApproxKL += -logRatio
            stats.approxKL += (ratio - 1) - logRatio
            if abs(ratio - 1) > epsilon { stats.clipFraction += 1 }
            let advantage = (batch.advantages[k] - shift) * scale
            let clipped = min(max(ratio, 1 - epsilon), 1 + epsilon)
            let unclippedLoss = -advantage * ratio
            let clippedLoss = -advantage * clipped
            stats.policyLoss += max(unclippedLoss, clippedLoss)
            // ∂pg/∂log π(a): the surviving branch's slope (zero where the clip holds it flat).
            let insideClip = ratio > 1 - epsilon && ratio < 1 + epsilon
            let dLogProbability = (unclippedLoss >= clippedLoss || insideClip) ? -advantage * ratio * inverse : 0
            let entropy = Categorical.entropy(row, count: a)
            stats.entropy += entropy

            if gradients {
                let g = logitGradient + k * a
                for j in 0..<a {
                    guard row[j] > -.infinity else {
                        g[j] = 0
                        continue
                    }
                    let p = exp(row[j])
                    // ∂log π(a)/∂z_j = δ_aj − p_j; ∂H/∂z_j = −p_j (log p_j + H).
                    let policyPart = dLogProbability * ((j == action ? 1 : 0) - p)
                    let entropyPart = config.entropyCoefficient * inverse * p * (row[j] + entropy)
                    g[j] = policyPart + entropyPart
                }
            }

            let value = values[k]
            let target = batch.returns[k]
            let unclippedError = (value - target) * (value - target)
            if config.clipValueLoss {
                let delta = value - batch.oldValues[k]
                let clippedValue = batch.oldValues[k] + min(max(delta, -epsilon), epsilon)
                let clippedError = (clippedValue - target) * (clippedValue - target)
                stats.valueLoss += 0.5 * max(unclippedError, clippedError)
                if unclippedError >= clippedError {
                    valueGradient[k] = config.valueCoefficient * (value - target) * inverse
                } else {
                    let inside = delta > -epsilon && delta < epsilon
                    valueGradient[k] = inside ? config.valueCoefficient * (clippedValue - target) * inverse : 0
                }
            } else {
                stats.valueLoss += 0.5 * unclippedError
                valueGradient[k] = config.valueCoefficient * (value - target) * inverse
            }
        }
        stats.policyLoss *= inverse
        stats.valueLoss *= inverse
        stats.entropy *= inverse
        stats.approxKL *= inverse
        stats.oldApproxKL *= inverse
        stats.clipFraction *= inverse
        stats.total = stats.policyLoss - config.entropyCoefficient * stats.entropy + config.valueCoefficient * stats.valueLoss

        if gradients {
            actor.zeroGradients()
            critic.zeroGradients()
            actor.backward(logitGradient, batch: n)
            critic.backward(valueGradient, batch: n)
        }
        return stats
    }
}
