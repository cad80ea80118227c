import Testing
import TenderCore
@testable import TenderLearning

@Suite struct PPOSmokeTests {
    static func smallConfig(seed: UInt64) -> PPOConfig {
        var config = PPOConfig()
        config.seed = seed
        config.totalSteps = 6144
        config.learningRate = 2.5e-3
        config.epochs = 4
        return config
    }

    /// A few thousand CartPole steps must already beat the random policy's ~22-step episodes.
    @Test func shortTrainingImprovesCartPole() throws {
        let trainer = try PPOTrainer(config: Self.smallConfig(seed: 3)) { _ in CartPole() }
        var history: [IterationStats] = []
        trainer.train { history.append($0); return true }
        #expect(history.count == 12)
        let first = history[0].meanReturn
        let last = history.last!.meanReturn
        #expect(last > 2 * first, "episode return \(first) → \(last)")
        #expect(history.allSatisfy { $0.loss.entropy.isFinite && $0.loss.approxKL >= -1e-12 })
        #expect(history.last!.explainedVariance.isFinite)
    }

    /// The same seed replays the same training bit for bit.
    @Test func trainingIsDeterministicBySeed() throws {
        var config = Self.smallConfig(seed: 9)
        config.totalSteps = 1024
        let a = try PPOTrainer(config: config) { _ in CartPole() }
        let b = try PPOTrainer(config: config) { _ in CartPole() }
        a.train()
        b.train()
        #expect(a.agent.actor.parameterArray == b.agent.actor.parameterArray)
        #expect(a.agent.critic.parameterArray == b.agent.critic.parameterArray)
        config.seed = 10
        let c = try PPOTrainer(config: config) { _ in CartPole() }
        c.train()
        #expect(a.agent.actor.parameterArray != c.agent.actor.parameterArray)
    }

    @Test func impossibleConfigIsAnErrorNotACrash() {
        var config = PPOConfig()
        config.minibatches = 0
        #expect(throws: LearningError.self) { try PPOTrainer(config: config) { _ in CartPole() } }
    }

    @Test func targetKLStopsEpochsEarly() throws {
        var config = Self.smallConfig(seed: 2)
        config.totalSteps = 1024
        config.epochs = 10
        config.learningRate = 0.05
        config.targetKL = 1e-6
        let trainer = try PPOTrainer(config: config) { _ in CartPole() }
        let stats = trainer.iterate()
        #expect(stats.epochsRun < 10)
    }
}
