import Testing
import TenderCore
@testable import TenderLearning

/// Centred finite differences in Double against every analytic gradient: each layer type and
/// the whole PPO loss. A wrong sign or a missing term anywhere fails these.
@Suite struct GradientCheckTests {
    /// Numeric ∂f/∂θ_k by (f(θ + h) − f(θ − h)) / 2h for every parameter of `network`.
    static func numericGradient(_ network: MLP, step: Double = 1e-6, _ f: () -> Double) -> [Double] {
        (0..<network.parameterCount).map { k in
            let saved = network.parameters[k]
            network.parameters[k] = saved + step
            let up = f()
            network.parameters[k] = saved - step
            let down = f()
            network.parameters[k] = saved
            return (up - down) / (2 * step)
        }
    }

    static func expectClose(_ analytic: [Double], _ numeric: [Double], tolerance: Double = 1e-6) {
        #expect(analytic.count == numeric.count)
        var worst = 0.0
        for (a, n) in zip(analytic, numeric) { worst = max(worst, abs(a - n) / max(1, abs(a), abs(n))) }
        #expect(worst < tolerance, "worst relative gradient error \(worst)")
    }

    /// Batches of 4 run the scalar loops, batches of 16 OpenBLAS's dgemm: both are checked.
    @Test(arguments: Activation.allCases, [4, 16])
    func networkGradientMatchesFiniteDifferences(activation: Activation, batch: Int) {
        var random = SeededGenerator(seed: 11)
        let network = MLP(sizes: [3, 5, 4, 2], activation: activation)
        network.initialise(outputGain: 1, random: &random)
        // Non-zero biases so relu units sit on both sides of their kink.
        for k in 0..<network.parameterCount { network.parameters[k] += 0.1 * Orthogonal.gaussian(&random) }
        let input = (0..<(batch * 3)).map { _ in Orthogonal.gaussian(&random) }
        let weights = (0..<(batch * 2)).map { _ in Orthogonal.gaussian(&random) }
        func loss() -> Double {
            let output = network.forward(input, batch: batch)
            return (0..<(batch * 2)).reduce(0) { $0 + weights[$1] * output[$1] }
        }
        _ = loss()
        network.zeroGradients()
        network.backward(weights, batch: batch)
        let analytic = Array(network.gradients)
        Self.expectClose(analytic, Self.numericGradient(network, loss))
    }

    @Test func denseLayerInputGradientMatchesFiniteDifferences() {
        var random = SeededGenerator(seed: 5)
        let layer = DenseLayer(inputs: 6, outputs: 3, offset: 0)
        var params = (0..<layer.parameterCount).map { _ in Orthogonal.gaussian(&random) }
        var input = (0..<12).map { _ in Orthogonal.gaussian(&random) }
        let upstream = (0..<6).map { _ in Orthogonal.gaussian(&random) }
        func loss() -> Double {
            var output = [Double](repeating: 0, count: 6)
            layer.forward(params, input, &output, batch: 2)
            return zip(output, upstream).reduce(0) { $0 + $1.0 * $1.1 }
        }
        var grads = [Double](repeating: 0, count: layer.parameterCount)
        var inputGradient = [Double](repeating: 0, count: 12)
        layer.backward(params, &grads, input, upstream, &inputGradient, batch: 2)
        var numeric: [Double] = []
        for k in 0..<12 {
            let saved = input[k]
            input[k] = saved + 1e-6
            let up = loss()
            input[k] = saved - 1e-6
            let down = loss()
            input[k] = saved
            numeric.append((up - down) / 2e-6)
        }
        Self.expectClose(inputGradient, numeric)
        _ = params.withUnsafeMutableBufferPointer { $0.count }
        params[0] += 0 // keeps `params` mutable for the pointer conversions above
    }

    /// The whole PPO loss (clipped surrogate, clipped value loss, entropy, masking, per-minibatch
    /// advantage normalisation) against finite differences in both networks.
    @Test(arguments: [true, false])
    func ppoLossGradientMatchesFiniteDifferences(clipValueLoss: Bool) {
        var random = SeededGenerator(seed: 21)
        var config = PPOConfig()
        config.clipValueLoss = clipValueLoss
        config.entropyCoefficient = 0.05
        let agent = ActorCritic(observationSize: 4, actionCount: 3, hidden: [8, 8], activation: .tanh, normalise: false)
        agent.initialise(random: &random)
        for k in 0..<agent.actor.parameterCount { agent.actor.parameters[k] += 0.3 * Orthogonal.gaussian(&random) }
        let n = 12
        let observations = (0..<(n * 4)).map { _ in Orthogonal.gaussian(&random) }
        // Every third row masks action 2; actions are always valid ones.
        let masks: [Bool] = (0..<(n * 3)).map { (k: Int) -> Bool in (k / 3) % 3 != 0 || k % 3 != 2 }
        let actions: [Int32] = (0..<n).map { (k: Int) -> Int32 in Int32(k % 3 == 0 ? k % 2 : k % 3) }
        let advantages = (0..<n).map { _ in Orthogonal.gaussian(&random) }
        let returns = (0..<n).map { _ in Orthogonal.gaussian(&random) }
        // Old values near the current ones, so some value errors are clipped and some not.
        let currentValues = Array(UnsafeBufferPointer(start: agent.critic.forward(observations, batch: n), count: n))
        let oldValues = currentValues.enumerated().map { $1 + ($0 % 2 == 0 ? 0.05 : 0.5) * Orthogonal.gaussian(&random) }
        // Old log-probabilities spread so ratios fall both inside and outside [0.8, 1.2].
        let logits = Array(UnsafeBufferPointer(start: agent.actor.forward(observations, batch: n), count: n * 3))
        var oldLogProbabilities: [Double] = []
        for k in 0..<n {
            var row = [Double](repeating: 0, count: 3)
            Categorical.logSoftmax(Array(logits[(k * 3)..<(k * 3 + 3)]), mask: Array(masks[(k * 3)..<(k * 3 + 3)]), count: 3, into: &row)
            oldLogProbabilities.append(row[Int(actions[k])] + [0.0, 0.1, -0.1, 0.4, -0.4, 0.02][k % 6])
        }
        let loss = PPOLoss(config: config, actionCount: 3)
        func evaluate(_ gradients: Bool) -> LossStats {
            observations.withUnsafeBufferPointer { o in
                masks.withUnsafeBufferPointer { m in
                    actions.withUnsafeBufferPointer { a in
                        oldLogProbabilities.withUnsafeBufferPointer { l in
                            advantages.withUnsafeBufferPointer { adv in
                                returns.withUnsafeBufferPointer { r in
                                    oldValues.withUnsafeBufferPointer { v in
                                        let batch = Minibatch(
                                            size: n, observations: o.baseAddress!, masks: m.baseAddress!, actions: a.baseAddress!,
                                            oldLogProbabilities: l.baseAddress!, advantages: adv.baseAddress!, returns: r.baseAddress!,
                                            oldValues: v.baseAddress!
                                        )
                                        return loss.evaluate(actor: agent.actor, critic: agent.critic, batch: batch, gradients: gradients)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        let stats = evaluate(true)
        #expect(stats.clipFraction > 0 && stats.clipFraction < 1, "the check must cross the clip: \(stats.clipFraction)")
        let actorGradient = Array(agent.actor.gradients)
        let criticGradient = Array(agent.critic.gradients)
        Self.expectClose(actorGradient, Self.numericGradient(agent.actor) { evaluate(false).total })
        Self.expectClose(criticGradient, Self.numericGradient(agent.critic) { evaluate(false).total })
        #expect(actorGradient.contains { $0 != 0 } && criticGradient.contains { $0 != 0 })
    }
}
