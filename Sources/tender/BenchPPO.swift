import ArgumentParser
import Foundation
import TenderConfig
import TenderCore
import TenderLearning
import TenderSim

/// `tender bench ppo`: the trainer's speed (environment steps per second, one thread, rollout
/// and updates included) on CartPole and on the bidding environment, the wall time to solve
/// CartPole, and the cost of one live bidding decision by a learned policy. Each speed is given
/// per wall-second and per CPU-second of the benchmark's thread (`_cpu_`): on a shared machine
/// the second is the speed of one core, the first also counts waiting for it.
struct BenchPPO: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ppo",
        abstract: "Time PPO on CartPole (to solved) and on the bidding environment, and one learned bidding decision."
    )

    @Option(help: "Random seed.")
    var seed: UInt64 = 1

    @Option(help: "Most CartPole steps to train before giving up on solving it.")
    var cartpoleSteps = 500_000

    @Option(help: "Decisions trained on the bidding environment.")
    var biddingSteps = 16_384

    @Option(help: "Directory of specialist profiles.")
    var specialists = "specialists"

    @Flag(help: "Print JSON (the only output form; accepted for symmetry with other benches).")
    var json = false

    func run() throws {
        #if DEBUG
        let build = "debug"
        printError("warning: this is a debug build; benchmark figures need `swift build -c release`")
        #else
        let build = "release"
        #endif
        let bar = ProgressBar("benchmarking ppo", total: 3)
        var config = PPOConfig()
        config.seed = seed
        config.totalSteps = cartpoleSteps
        let cartPole = try CartPoleProof.run(config: config) { bar.update(Double($0.iteration) / Double(config.iterations)) }

        var bidding = PPOConfig()
        bidding.seed = seed
        bidding.environments = 1
        bidding.stepsPerRollout = 4096
        bidding.minibatches = 8
        bidding.learningRate = 3e-4
        bidding.normaliseObservations = true
        bidding.totalSteps = biddingSteps
        let family = StormFamily(kind: .training, profiles: try StormFamily.loadProfiles(directory: specialists))
        let trainer = try BiddingTrainer(config: bidding, family: family)
        let started = DispatchTime.now().uptimeNanoseconds
        var storms = 0
        var rolloutCPU = 0.0, updateCPU = 0.0
        while trainer.decisionsSeen < biddingSteps {
            let stats = try trainer.iterate()
            storms += stats.storms
            rolloutCPU += stats.ppo.rolloutCPUSeconds
            updateCPU += stats.ppo.updateCPUSeconds
            bar.update(1 + Double(trainer.decisionsSeen) / Double(biddingSteps))
        }
        let biddingSeconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9

        // One live decision: features, normalisation, the 64-64 actor, masking, argmax.
        let checkpoint = trainer.checkpoint(name: "bench", command: "bench", wallSeconds: 0, evaluation: [])
        let policy = try LearnedBiddingPolicy(checkpoint: checkpoint)
        var random = SeededGenerator(seed: seed)
        let observations = (0..<1024).map { _ in
            Observation(
                category: IncidentCategory.allCases[random.nextIndex(below: 4)], severity: Severity.allCases[random.nextIndex(below: 4)],
                age: random.nextUnit() * 600, slackToSLA: random.nextUnit() * 3600, skill: 0.2 + 0.8 * random.nextUnit(),
                expectedService: 300 + random.nextUnit() * 900, load: random.nextIndex(below: 4), capacity: 4,
                recentWinRate: random.nextUnit(), stormIntensity: 0.5 + random.nextUnit() * 3,
                kind: SpecialistKind.allCases[random.nextIndex(below: 4)], invited: 1 + random.nextIndex(below: 6)
            )
        }
        let decisions = 200_000
        var checksum = 0
        let decisionStart = DispatchTime.now().uptimeNanoseconds
        let decisionCPUStart = ThreadClock.nanoseconds
        for k in 0..<decisions { checksum &+= policy.action(for: observations[k & 1023]) }
        let decisionNanos = Double(DispatchTime.now().uptimeNanoseconds - decisionStart) / Double(decisions)
        let decisionCPUNanos = Double(ThreadClock.nanoseconds - decisionCPUStart) / Double(decisions)
        bar.finish()

        try JSONOutput.print(JSONValue.object([
            ("build", .string(build)),
            ("threads", .integer(1)),
            ("cartpole", .object([
                ("steps_per_s", .number(cartPole.stepsPerSecond.rounded())),
                ("steps_per_cpu_s", .number(cartPole.stepsPerCPUSecond.rounded())),
                ("solved", .bool(cartPole.solved)),
                ("steps_to_solve", .integer(cartPole.steps)),
                ("wall_s_to_solve", .number(cartPole.wallSeconds)),
                ("evaluation_mean_return_100", .number(cartPole.evaluationMean)),
            ])),
            ("bidding", .object([
                ("steps_per_s", .number((Double(trainer.decisionsSeen) / biddingSeconds).rounded())),
                ("steps_per_cpu_s", .number((Double(trainer.decisionsSeen) / (rolloutCPU + updateCPU)).rounded())),
                ("decisions", .integer(trainer.decisionsSeen)),
                ("storms", .integer(storms)),
                ("wall_s", .number(biddingSeconds)),
                // Where the CPU goes: the simulator with the policy's forward passes, and PPO's update.
                ("rollout_cpu_s", .number(rolloutCPU)),
                ("update_cpu_s", .number(updateCPU)),
            ])),
            ("policy_decision_us", .number(decisionNanos / 1000)),
            ("policy_decision_cpu_us", .number(decisionCPUNanos / 1000)),
            ("checksum", .integer(checksum)),
        ]))
    }
}
