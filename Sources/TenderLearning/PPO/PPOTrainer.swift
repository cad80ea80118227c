import Foundation
import TenderCore

/// What one rollout-and-update iteration did, with CleanRL's metric names in `csvHeader`.
public struct IterationStats: Sendable, Hashable {
    public var iteration = 0
    public var globalStep = 0
    public var learningRate = 0.0
    /// Means over the iteration's minibatches.
    public var loss = LossStats()
    public var explainedVariance = 0.0
    /// Epochs run before any KL early stop.
    public var epochsRun = 0
    /// Episodes that ended during this rollout, and their mean return and length.
    public var episodes = 0
    public var meanReturn = Double.nan
    public var meanLength = Double.nan
    /// Mean return of the last (up to) 100 finished episodes.
    public var recentReturn = Double.nan
    /// Environment steps per second over this iteration (rollout and update), wall time.
    public var stepsPerSecond = 0.0
    /// CPU time of this iteration's rollout and of its update (this thread's).
    public var rolloutCPUSeconds = 0.0
    public var updateCPUSeconds = 0.0
    /// Environment steps per CPU-second of this thread (rollout and update): speed per core.
    public var cpuSeconds: Double { rolloutCPUSeconds + updateCPUSeconds }

    public static let csvHeader =
        "iteration,global_step,learning_rate,episodic_return,episodic_length,recent_return_100,value_loss,policy_loss,entropy,approx_kl,old_approx_kl,clipfrac,explained_variance,epochs,sps,rollout_cpu_s,update_cpu_s"

    public var csvRow: String {
        [
            "\(iteration)", "\(globalStep)", "\(learningRate)", "\(meanReturn)", "\(meanLength)", "\(recentReturn)",
            "\(loss.valueLoss)", "\(loss.policyLoss)", "\(loss.entropy)", "\(loss.approxKL)", "\(loss.oldApproxKL)",
            "\(loss.clipFraction)", "\(explainedVariance)", "\(epochsRun)", String(format: "%.0f", stepsPerSecond),
            String(format: "%.4f", rolloutCPUSeconds), String(format: "%.4f", updateCPUSeconds),
        ].joined(separator: ",")
    }
}

/// PPO as CleanRL's `ppo.py`, top to bottom: collect a rollout from `environments` copies in
/// lockstep, compute GAE, then optimise the clipped objective for `epochs` over shuffled
/// minibatches with a global gradient clip, annealing the learning rate. All buffers are
/// allocated once; stepping and updating allocate nothing.
public final class PPOTrainer<Env: Environment> {
    public let config: PPOConfig
    public private(set) var environments: [Env]
    public let agent: ActorCritic
    public private(set) var globalStep = 0
    public private(set) var iteration = 0
    /// Returns of the last 100 finished episodes.
    public private(set) var recentReturns: [Double] = []
    private let optimisation: PPOOptimisation
    private var random: SeededGenerator
    private let observationSize: Int
    private let actionCount: Int
    private let masked: Bool
    let buffers: RolloutBuffers
    private var episodeReturn: [Double]
    private var episodeLength: [Int]

    public init(config: PPOConfig, makeEnvironment: (Int) -> Env) throws {
        if let problem = config.problem { throw LearningError("PPO config: \(problem)") }
        self.config = config
        environments = (0..<config.environments).map(makeEnvironment)
        observationSize = environments[0].observationSize
        actionCount = environments[0].actionCount
        masked = environments[0].masksActions
        random = SeededGenerator(seed: config.seed)
        agent = ActorCritic(
            observationSize: observationSize, actionCount: actionCount, hidden: config.hidden,
            activation: config.activation, normalise: config.normaliseObservations
        )
        agent.initialise(random: &random)
        agent.actor.reserve(batch: max(config.minibatchSize, config.environments))
        agent.critic.reserve(batch: max(config.minibatchSize, config.environments))
        optimisation = PPOOptimisation(config: config, agent: agent)
        buffers = RolloutBuffers(config: config, observationSize: observationSize, actionCount: actionCount)
        episodeReturn = Array(repeating: 0, count: config.environments)
        episodeLength = Array(repeating: 0, count: config.environments)
        for e in 0..<config.environments {
            var environmentRandom = random.split()
            environments[e].reset(random: &environmentRandom, observation: buffers.nextObservation + e * observationSize)
            buffers.environmentRandom.append(environmentRandom)
        }
    }

    /// Trains for `config.iterations`, calling `progress` after each; it may return false to stop.
    public func train(progress: (IterationStats) -> Bool = { _ in true }) {
        while iteration < config.iterations {
            if !progress(iterate()) { break }
        }
    }

    /// One rollout and one update.
    @discardableResult
    public func iterate() -> IterationStats {
        let started = DispatchTime.now().uptimeNanoseconds
        iteration += 1
        var stats = IterationStats()
        stats.iteration = iteration
        stats.learningRate = optimisation.anneal(iteration: iteration)
        let cpuStart = ThreadClock.nanoseconds
        collectRollout(into: &stats)
        let rolloutEnd = ThreadClock.nanoseconds
        update(into: &stats)
        stats.rolloutCPUSeconds = Double(rolloutEnd - cpuStart) / 1e9
        stats.updateCPUSeconds = ThreadClock.seconds(since: rolloutEnd)
        stats.globalStep = globalStep
        stats.recentReturn = recentReturns.isEmpty ? .nan : recentReturns.reduce(0, +) / Double(recentReturns.count)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        stats.stepsPerSecond = Double(config.batchSize) / max(seconds, 1e-9)
        return stats
    }

    private func collectRollout(into stats: inout IterationStats) {
        let n = config.environments
        let o = observationSize
        let a = actionCount
        var returnSum = 0.0, lengthSum = 0
        for t in 0..<config.stepsPerRollout {
            let row = t * n
            let observations = buffers.observations + row * o
            observations.update(from: buffers.nextObservation, count: n * o)
            if agent.normaliser != nil {
                agent.normaliser!.update(observations, rows: n)
                for e in 0..<n { agent.normaliser!.apply(observations + e * o) }
            }
            buffers.dones.advanced(by: row).update(from: buffers.nextDone, count: n)
            let masks = buffers.masks + row * a
            for e in 0..<n {
                if masked { environments[e].writeActionMask(masks + e * a) } else { (masks + e * a).update(repeating: true, count: a) }
            }
            let logits = agent.actor.forward(observations, batch: n)
            let values = agent.critic.forward(observations, batch: n)
            for e in 0..<n {
                buffers.values[row + e] = values[e]
                let logProbabilities = buffers.scratchLogProbabilities
                Categorical.logSoftmax(logits + e * a, mask: masks + e * a, count: a, into: logProbabilities)
                let action = Categorical.sample(logProbabilities, count: a, random: &random)
                buffers.actions[row + e] = Int32(action)
                buffers.logProbabilities[row + e] = logProbabilities[action]
                let result = environments[e].step(action, observation: buffers.nextObservation + e * o)
                buffers.rewards[row + e] = result.reward
                episodeReturn[e] += result.reward
                episodeLength[e] += 1
                if result.done {
                    stats.episodes += 1
                    returnSum += episodeReturn[e]
                    lengthSum += episodeLength[e]
                    if recentReturns.count == 100 { recentReturns.removeFirst() }
                    recentReturns.append(episodeReturn[e])
                    episodeReturn[e] = 0
                    episodeLength[e] = 0
                    environments[e].reset(random: &buffers.environmentRandom[e], observation: buffers.nextObservation + e * o)
                }
                buffers.nextDone[e] = result.done ? 1 : 0
            }
            globalStep += n
        }
        if stats.episodes > 0 {
            stats.meanReturn = returnSum / Double(stats.episodes)
            stats.meanLength = Double(lengthSum) / Double(stats.episodes)
        }
        // Bootstrap from the value of the observation after the rollout.
        let next = buffers.scratchObservations
        next.update(from: buffers.nextObservation, count: n * o)
        if let normaliser = agent.normaliser { for e in 0..<n { normaliser.apply(next + e * o) } }
        let nextValues = agent.critic.forward(next, batch: n)
        GAE.compute(
            steps: config.stepsPerRollout, environments: n, gamma: config.gamma, lambda: config.gaeLambda,
            rewards: buffers.rewards, values: buffers.values, dones: buffers.dones, nextValues: nextValues,
            nextDones: buffers.nextDone, advantages: buffers.advantages, returns: buffers.returns
        )
    }

    private func update(into stats: inout IterationStats) {
        let (loss, epochs) = optimisation.update(agent: agent, buffers: buffers, random: &random)
        stats.loss = loss
        stats.epochsRun = epochs
        stats.explainedVariance = Statistics.explainedVariance(predicted: buffers.values, actual: buffers.returns, count: config.batchSize)
    }

    /// Mean return over `episodes` fresh episodes (own seed), sampling from the policy or
    /// taking its most probable action.
    public func evaluate(episodes: Int, seed: UInt64, greedy: Bool, makeEnvironment: () -> Env) -> [Double] {
        var evaluationRandom = SeededGenerator(seed: seed)
        var environment = makeEnvironment()
        let o = observationSize, a = actionCount
        let observation = UnsafeMutablePointer<Double>.allocate(capacity: o)
        let scratch = UnsafeMutablePointer<Double>.allocate(capacity: o + a)
        let mask = UnsafeMutablePointer<Bool>.allocate(capacity: a)
        defer { observation.deallocate(); scratch.deallocate(); mask.deallocate() }
        var returns: [Double] = []
        for _ in 0..<episodes {
            environment.reset(random: &evaluationRandom, observation: observation)
            var total = 0.0
            while true {
                environment.writeActionMask(mask)
                let action: Int
                if greedy {
                    action = agent.act(observation, mask: mask, scratch: scratch)
                } else {
                    scratch.update(from: observation, count: o)
                    agent.normaliser?.apply(scratch)
                    let logits = agent.actor.forward(scratch, batch: 1)
                    Categorical.logSoftmax(logits, mask: mask, count: a, into: scratch + o)
                    action = Categorical.sample(scratch + o, count: a, random: &evaluationRandom)
                }
                let result = environment.step(action, observation: observation)
                total += result.reward
                if result.done { break }
            }
            returns.append(total)
        }
        return returns
    }
}

/// Small statistics the trainer reports.
public enum Statistics {
    /// `1 − Var(actual − predicted) / Var(actual)` (NaN when the targets do not vary).
    public static func explainedVariance(predicted: UnsafePointer<Double>, actual: UnsafePointer<Double>, count: Int) -> Double {
        var meanY = 0.0, meanD = 0.0
        for k in 0..<count {
            meanY += actual[k]
            meanD += actual[k] - predicted[k]
        }
        meanY /= Double(count)
        meanD /= Double(count)
        var varY = 0.0, varD = 0.0
        for k in 0..<count {
            varY += (actual[k] - meanY) * (actual[k] - meanY)
            let d = actual[k] - predicted[k] - meanD
            varD += d * d
        }
        return varY == 0 ? .nan : 1 - varD / varY
    }
}
