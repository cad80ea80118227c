import TenderCore

/// The optimisation half of PPO, shared by every trainer: for `epochs`, shuffle the rollout,
/// and for each minibatch evaluate the loss and its gradient, clip the joint gradient norm and
/// take an Adam step on actor and critic; stop early when the last minibatch's approximate KL
/// passes `targetKL`. The learning rate anneals linearly to 0 over `config.iterations`.
final class PPOOptimisation {
    let config: PPOConfig
    let loss: PPOLoss
    let actorOptimiser: Adam
    let criticOptimiser: Adam

    init(config: PPOConfig, agent: ActorCritic) {
        self.config = config
        loss = PPOLoss(config: config, actionCount: agent.actionCount)
        actorOptimiser = Adam(count: agent.actor.parameterCount, learningRate: config.learningRate)
        criticOptimiser = Adam(count: agent.critic.parameterCount, learningRate: config.learningRate)
    }

    /// Sets and returns the learning rate for `iteration` (1-based).
    func anneal(iteration: Int) -> Double {
        let fraction = 1 - Double(iteration - 1) / Double(config.iterations)
        let rate = config.annealLearningRate ? max(fraction, 0) * config.learningRate : config.learningRate
        actorOptimiser.learningRate = rate
        criticOptimiser.learningRate = rate
        return rate
    }

    /// Optimises over the rollout in `buffers`; returns the mean loss terms and epochs run.
    func update(agent: ActorCritic, buffers: RolloutBuffers, random: inout SeededGenerator) -> (LossStats, Int) {
        let size = buffers.size
        let mb = config.minibatchSize
        var sums = LossStats()
        var count = 0
        var epochsRun = 0
        for _ in 0..<config.epochs {
            epochsRun += 1
            // Fisher–Yates shuffle of the batch indices.
            for k in stride(from: size - 1, to: 0, by: -1) {
                buffers.order.swapAt(k, random.nextIndex(below: k + 1))
            }
            var last = LossStats()
            var start = 0
            while start + mb <= size {
                let batch = buffers.gather(start: start, count: mb)
                last = loss.evaluate(actor: agent.actor, critic: agent.critic, batch: batch)
                GradientClipping.clip([agent.actor.gradients, agent.critic.gradients], maxNorm: config.maxGradientNorm)
                actorOptimiser.update(agent.actor.parameters, agent.actor.gradients)
                criticOptimiser.update(agent.critic.parameters, agent.critic.gradients)
                sums.total += last.total
                sums.policyLoss += last.policyLoss
                sums.valueLoss += last.valueLoss
                sums.entropy += last.entropy
                sums.approxKL += last.approxKL
                sums.oldApproxKL += last.oldApproxKL
                sums.clipFraction += last.clipFraction
                count += 1
                start += mb
            }
            if let target = config.targetKL, last.approxKL > target { break }
        }
        let c = Double(max(count, 1))
        let mean = LossStats(
            total: sums.total / c, policyLoss: sums.policyLoss / c, valueLoss: sums.valueLoss / c, entropy: sums.entropy / c,
            approxKL: sums.approxKL / c, oldApproxKL: sums.oldApproxKL / c, clipFraction: sums.clipFraction / c
        )
        return (mean, epochsRun)
    }
}
