import ArgumentParser
import TenderLearning

/// `tender train`'s PPO hyperparameter and reward-weight options (what `tender tune` searches).
/// Each is optional: unset keeps the trainer's default.
struct TrainHyperparameterOptions: ParsableArguments {
    @Option(help: "PPO entropy bonus coefficient (default 0.01).")
    var entropyCoefficient: Double?

    @Option(help: "PPO surrogate clip (default 0.2).")
    var clipCoefficient: Double?

    @Option(help: "PPO epochs per update (default 4).")
    var epochs: Int?

    @Option(help: "PPO minibatches per epoch (bidding default 8).")
    var minibatches: Int?

    @Option(help: "Discount (inert for one-step bidding decisions; default 0.99).")
    var gamma: Double?

    @Option(help: "GAE lambda (default 0.95).")
    var gaeLambda: Double?

    @Option(help: "Reward weight per SLA-length of time to resolve (default 1).")
    var rewardTtr: Double?

    @Option(help: "Multiplier of the breach penalties by severity (default 1: critical 4, high 2, medium 1, low 0.5).")
    var rewardBreachScale: Double?

    @Option(help: "Penalty of an escalation (default 6).")
    var rewardEscalation: Double?

    @Option(help: "Extra penalty of a refusal by a capable specialist with a free slot of an incident later escalated because nobody capable was there (default 0).")
    var rewardDeclinedEscalation: Double?

    @Option(help: "Penalty of an incident open at the end of the storm (default 3).")
    var rewardOpen: Double?

    @Option(help: "Weight of the fairness shortfall 1 − Jain (default 1).")
    var rewardFairness: Double?

    @Option(help: "Weight of each decision's own fairness credit: a win by an under-served specialist (work ÷ capability below the Jain-weighted mean) or a refusal by an over-served one earns it, the opposite costs it (default 0).")
    var rewardFairnessCredit: Double?

    func validate() throws {
        for (name, value) in [("entropy-coefficient", entropyCoefficient), ("reward-ttr", rewardTtr), ("reward-breach-scale", rewardBreachScale),
                              ("reward-escalation", rewardEscalation), ("reward-declined-escalation", rewardDeclinedEscalation),
                              ("reward-open", rewardOpen), ("reward-fairness", rewardFairness), ("reward-fairness-credit", rewardFairnessCredit)] {
            if let value, !(value >= 0 && value.isFinite) { throw ValidationError("--\(name) must be a finite number ≥ 0, not \(value)") }
        }
        if let clipCoefficient, !(clipCoefficient > 0 && clipCoefficient < 1) { throw ValidationError("--clip-coefficient must be in (0, 1)") }
        if let epochs, epochs < 1 { throw ValidationError("--epochs must be at least 1") }
        if let minibatches, minibatches < 1 { throw ValidationError("--minibatches must be at least 1") }
        for (name, value) in [("gamma", gamma), ("gae-lambda", gaeLambda)] {
            if let value, !(value >= 0 && value <= 1) { throw ValidationError("--\(name) must be in [0, 1], not \(value)") }
        }
    }

    func apply(to config: inout PPOConfig) {
        if let entropyCoefficient { config.entropyCoefficient = entropyCoefficient }
        if let clipCoefficient { config.clipCoefficient = clipCoefficient }
        if let epochs { config.epochs = epochs }
        if let minibatches { config.minibatches = minibatches }
        if let gamma { config.gamma = gamma }
        if let gaeLambda { config.gaeLambda = gaeLambda }
    }

    var weights: RewardWeights {
        var weights = RewardWeights()
        if let rewardTtr { weights.ttr = rewardTtr }
        if let rewardBreachScale { weights.breach = weights.breach.map { $0 * rewardBreachScale } }
        if let rewardEscalation { weights.escalation = rewardEscalation }
        if let rewardDeclinedEscalation { weights.declinedEscalation = rewardDeclinedEscalation }
        if let rewardOpen { weights.open = rewardOpen }
        if let rewardFairness { weights.fairness = rewardFairness }
        if let rewardFairnessCredit { weights.fairnessCredit = rewardFairnessCredit }
        return weights
    }

    /// The `tender train` arguments that reproduce a trial of the search.
    static func arguments(for trial: TrialHyperparameters) -> [String] {
        [
            "--learning-rate", "\(trial.learningRate)", "--entropy-coefficient", "\(trial.entropyCoefficient)",
            "--clip-coefficient", "\(trial.clipCoefficient)", "--epochs", "\(trial.epochs)", "--minibatches", "\(trial.minibatches)",
            "--gamma", "\(trial.gamma)", "--gae-lambda", "\(trial.gaeLambda)", "--reward-ttr", "\(trial.rewardTTR)",
            "--reward-breach-scale", "\(trial.rewardBreachScale)", "--reward-escalation", "\(trial.rewardEscalation)",
            "--reward-open", "\(trial.rewardOpen)", "--reward-fairness", "\(trial.rewardFairness)",
        ]
    }
}
