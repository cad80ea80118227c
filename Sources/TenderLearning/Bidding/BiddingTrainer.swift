import Foundation
import TenderConfig
import TenderCore
import TenderSim

/// What one bidding-training iteration did.
public struct BiddingIterationStats: Sendable {
    public var ppo = IterationStats()
    public var storms = 0
    public var decisions = 0
    public var meanReward = 0.0
    public var meanTTR = Double.nan
    public var slaBreachRate = Double.nan
    public var escalatedShare = Double.nan

    public static let csvHeader = IterationStats.csvHeader + ",storms,decisions,mean_reward,mean_ttr_s,sla_breach_rate,escalated_share"
    public var csvRow: String { ppo.csvRow + ",\(storms),\(decisions),\(meanReward),\(meanTTR),\(slaBreachRate),\(escalatedShare)" }
}

/// PPO on the bidding environment, MAPPO-style: one shared actor and critic for every
/// specialist (its kind is among the features). A rollout runs whole storms from the training
/// family through the real simulator and engine with a `DecisionRecorder` as every
/// specialist's policy; each eligible decision is a one-step episode whose reward is its
/// incident's outcome, so its advantage is `reward − V(observation)`.
public final class BiddingTrainer {
    public let config: PPOConfig
    public let weights: RewardWeights
    public let actions: BidActions
    public let agent: ActorCritic
    public let family: StormFamily
    /// Fixed scenarios to train on instead of the family (each storm re-seeded), if given.
    public let scenarios: [(scenario: Scenario, description: String)]
    /// Whether awards weigh track records while training (the engine's reputation, on live
    /// and by default): a policy trained without it could learn that underbidding pays.
    public let reputation: Bool
    public private(set) var iteration = 0
    public private(set) var decisionsSeen = 0
    /// Storms trained on: name → description hash.
    public private(set) var scenarioHashes: [String: String] = [:]
    let optimisation: PPOOptimisation
    let buffers: RolloutBuffers
    let recorder: DecisionRecorder
    var random: SeededGenerator

    /// `config.stepsPerRollout` is the number of decisions per update (`environments` must be 1).
    public init(config: PPOConfig, weights: RewardWeights = RewardWeights(), actions: BidActions = .standard, family: StormFamily,
        scenarios: [(scenario: Scenario, description: String)] = [], reputation: Bool = true
    ) throws {
        var config = config
        config.environments = 1
        if let problem = config.problem { throw LearningError("PPO config: \(problem)") }
        self.config = config
        self.weights = weights
        self.actions = actions
        self.family = family
        self.scenarios = scenarios
        self.reputation = reputation
        random = SeededGenerator(seed: config.seed)
        agent = ActorCritic(
            observationSize: Observation.featureCount, actionCount: actions.count, hidden: config.hidden,
            activation: config.activation, normalise: config.normaliseObservations
        )
        agent.initialise(random: &random)
        agent.actor.reserve(batch: config.minibatchSize)
        agent.critic.reserve(batch: config.minibatchSize)
        optimisation = PPOOptimisation(config: config, agent: agent)
        buffers = RolloutBuffers(config: config, observationSize: Observation.featureCount, actionCount: actions.count)
        recorder = DecisionRecorder(agent: agent, actions: actions, weights: weights, seed: random.next())
    }

    /// One rollout of whole storms (until a batch of decisions) and one PPO update.
    public func iterate() throws -> BiddingIterationStats {
        let started = DispatchTime.now().uptimeNanoseconds
        let cpuStart = ThreadClock.nanoseconds
        iteration += 1
        var stats = BiddingIterationStats()
        stats.ppo.iteration = iteration
        stats.ppo.learningRate = optimisation.anneal(iteration: iteration)
        let size = config.batchSize
        var filled = 0
        var rewardSum = 0.0
        var ttrSum = 0.0, resolved = 0, breached = 0, escalated = 0, concluded = 0
        while filled < size {
            recorder.clear()
            let seed = random.next()
            var (scenario, description) = scenarios.isEmpty
                ? family.storm(seed: seed) : scenarios[Int(seed % UInt64(scenarios.count))]
            if !scenarios.isEmpty {
                scenario.seed = seed
                scenario.allocator = "contract-net"
            }
            scenarioHashes[scenario.name] = StormFamily.hash(description)
            var options = SimulationOptions()
            options.biddingPolicy = recorder
            options.reputation = reputation
            // As live: work left waiting at 90% of its SLA window is escalated (and penalised).
            options.slaRiskFraction = EngineConfig().slaRiskFraction
            options.observer = recorder
            options.samples = 1
            options.ttrDistribution = false
            let result = try Simulation(scenario: scenario, options: options).run()
            let summary = result.summary
            let credit = weights.fairnessCredit != 0 ? FairnessCredit(values: result.fairnessValues) : nil
            stats.storms += 1
            let shortfall = summary.jainIndex.isFinite ? 1 - summary.jainIndex : 0
            let take = min(recorder.decisionCount, size - filled)
            let n = Observation.featureCount
            for k in 0..<take {
                let row = filled + k
                recorder.features.withUnsafeBufferPointer { (buffers.observations + row * n).update(from: $0.baseAddress! + k * n, count: n) }
                (buffers.masks + row * actions.count).update(repeating: true, count: actions.count)
                buffers.actions[row] = recorder.chosen[k]
                buffers.logProbabilities[row] = recorder.logProbabilities[k]
                let reward = recorder.reward(k, fairnessShortfall: shortfall, fairnessCredit: credit)
                buffers.rewards[row] = reward
                // One-step episodes: the return is the reward (the advantage, its surprise, below).
                buffers.returns[row] = reward
                rewardSum += reward
            }
            filled += take
            ttrSum += recorder.resolvedTTR
            resolved += recorder.resolved
            breached += recorder.breached
            escalated += recorder.escalated
            concluded += recorder.concluded
        }
        // The critic's values in one batch after the rollout rather than one forward pass per
        // decision: its parameters do not change during a rollout, and the decision itself
        // needs only the actor.
        let values = agent.critic.forward(buffers.observations, batch: size)
        for row in 0..<size {
            buffers.values[row] = values[row]
            buffers.advantages[row] = buffers.rewards[row] - values[row]
        }
        decisionsSeen += size
        stats.decisions = size
        stats.meanReward = rewardSum / Double(size)
        stats.meanTTR = resolved > 0 ? ttrSum / Double(resolved) : .nan
        stats.slaBreachRate = concluded > 0 ? Double(breached) / Double(concluded) : .nan
        stats.escalatedShare = concluded > 0 ? Double(escalated) / Double(concluded) : .nan
        let rolloutEnd = ThreadClock.nanoseconds
        let (loss, epochs) = optimisation.update(agent: agent, buffers: buffers, random: &random)
        stats.ppo.rolloutCPUSeconds = Double(rolloutEnd - cpuStart) / 1e9
        stats.ppo.updateCPUSeconds = ThreadClock.seconds(since: rolloutEnd)
        stats.ppo.loss = loss
        stats.ppo.epochsRun = epochs
        stats.ppo.explainedVariance = Statistics.explainedVariance(predicted: buffers.values, actual: buffers.returns, count: size)
        stats.ppo.globalStep = decisionsSeen
        stats.ppo.meanReturn = stats.meanReward
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        stats.ppo.stepsPerSecond = Double(size) / max(seconds, 1e-9)
        return stats
    }

    /// The trained policy as a checkpoint (evaluation rows and training record to be filled in).
    public func checkpoint(name: String, command: String, wallSeconds: Double, evaluation: [PolicyCheckpoint.EvaluationRow]) -> PolicyCheckpoint {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        var hyperparameters: [String: String] = [:]
        for (label, value) in [("ppo", try? encoder.encode(config)), ("reward", try? encoder.encode(weights))] {
            hyperparameters[label] = value.flatMap { String(data: $0, encoding: .utf8) } ?? ""
        }
        hyperparameters["reputation"] = reputation ? "on" : "off"
        return PolicyCheckpoint(
            name: name, createdAt: ISO8601DateFormatter().string(from: Date()),
            architecture: .init(inputs: Observation.featureCount, hidden: config.hidden, outputs: actions.count, activation: config.activation.rawValue),
            actions: actions, actorWeights: agent.actor.parameterArray, criticWeights: agent.critic.parameterArray,
            normalisation: agent.normaliser.map { .init(mean: $0.mean, variance: $0.variance) },
            hyperparameters: hyperparameters,
            training: .init(command: command, seed: config.seed, steps: decisionsSeen, wallSeconds: wallSeconds, scenarios: scenarioHashes),
            evaluation: evaluation
        )
    }
}
