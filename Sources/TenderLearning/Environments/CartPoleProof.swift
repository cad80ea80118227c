import Foundation

/// The trainer's proof: PPO with CleanRL's CartPole settings until a 100-episode evaluation
/// (sampling from the policy, fresh seeds) reaches a mean return of at least 475.
public enum CartPoleProof {
    public struct Result: Sendable {
        public var solved: Bool
        public var steps: Int
        public var wallSeconds: Double
        public var evaluationMean: Double
        public var stepsPerSecond: Double
        /// Training steps per CPU-second of the training thread (evaluations excluded).
        public var stepsPerCPUSecond: Double
        public var history: [IterationStats]
    }

    public static func run(config: PPOConfig, threshold: Double = 475, progress: (IterationStats) -> Void = { _ in }) throws -> Result {
        let started = DispatchTime.now().uptimeNanoseconds
        let trainer = try PPOTrainer(config: config) { _ in CartPole() }
        var history: [IterationStats] = []
        var evaluation = 0.0
        var solved = false
        while trainer.iteration < config.iterations {
            let stats = trainer.iterate()
            history.append(stats)
            progress(stats)
            // Evaluate once training episodes look solved, so the cost stays small.
            if stats.recentReturn >= threshold {
                let returns = trainer.evaluate(episodes: 100, seed: config.seed &+ UInt64(trainer.iteration), greedy: false) { CartPole() }
                evaluation = returns.reduce(0, +) / Double(returns.count)
                if evaluation >= threshold {
                    solved = true
                    break
                }
            }
        }
        if !solved {
            let returns = trainer.evaluate(episodes: 100, seed: config.seed &+ 1, greedy: false) { CartPole() }
            evaluation = returns.reduce(0, +) / Double(returns.count)
            solved = evaluation >= threshold
        }
        let wall = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        let trainingSeconds = history.reduce(0.0) { $0 + Double(config.batchSize) / max($1.stepsPerSecond, 1e-9) }
        return Result(
            solved: solved, steps: trainer.globalStep, wallSeconds: wall, evaluationMean: evaluation,
            stepsPerSecond: Double(trainer.globalStep) / max(trainingSeconds, 1e-9),
            stepsPerCPUSecond: Double(trainer.globalStep) / max(history.reduce(0.0) { $0 + $1.cpuSeconds }, 1e-9), history: history
        )
    }
}
