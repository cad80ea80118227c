import Foundation
import Testing
import TenderConfig
import TenderCore
import TenderSim
@testable import TenderLearning

@Suite struct BiddingTests {
    static func profiles() throws -> [SpecialistProfile] {
        try StormFamily.loadProfiles(directory: "\(repositoryRoot)/specialists")
    }

    static func smallTrainer(seed: UInt64) throws -> BiddingTrainer {
        var config = PPOConfig()
        config.seed = seed
        config.stepsPerRollout = 256
        config.minibatches = 4
        config.epochs = 2
        config.normaliseObservations = true
        config.totalSteps = 512
        return try BiddingTrainer(config: config, family: StormFamily(kind: .training, profiles: try profiles()))
    }

    /// Decisions come from the real simulator and are credited with their incidents' outcomes.
    @Test func trainingRecordsDecisionsThroughTheSimulatorAndCreditsOutcomes() throws {
        let trainer = try Self.smallTrainer(seed: 4)
        let stats = try trainer.iterate()
        #expect(stats.decisions == 256)
        #expect(stats.storms >= 1)
        #expect(stats.meanReward < 0) // every outcome costs time; none is free
        #expect(stats.meanTTR > 0)
        #expect(trainer.recorder.scores.count > 0)
        let rewards = UnsafeBufferPointer(start: trainer.buffers.rewards, count: 256)
        #expect(Set(rewards).count > 10, "rewards must differ by incident")
        #expect(stats.ppo.loss.entropy > 1 && stats.ppo.loss.entropy <= log(5) + 1e-9)
    }

    @Test func biddingTrainingIsDeterministicBySeed() throws {
        let a = try Self.smallTrainer(seed: 8)
        let b = try Self.smallTrainer(seed: 8)
        _ = try a.iterate()
        _ = try b.iterate()
        #expect(a.agent.actor.parameterArray == b.agent.actor.parameterArray)
    }

    /// The served policy (TenderCore's forward pass) takes exactly the trainer's greedy action.
    @Test func checkpointRoundTripServesTheTrainersActions() throws {
        let trainer = try Self.smallTrainer(seed: 5)
        _ = try trainer.iterate()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tender-ckpt-\(UInt32.random(in: 0...UInt32.max)).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let row = PolicyCheckpoint.EvaluationRow(
            storms: "holdout ×1", allocator: "contract-net/t", meanTTR: 1, meanTTRConfidence95: 0.5, escalatedShare: 0, criticalBreachRate: 0.1, openShare: 0
        )
        try trainer.checkpoint(name: "t", command: "test", wallSeconds: 1, evaluation: [row]).write(path: path)
        #expect(try PolicyCheckpoint.load(path: path).evaluation == [row])
        let served = try LearnedBiddingPolicy(checkpoint: PolicyCheckpoint.load(path: path))
        let loaded = try PolicyLoader.load(path: path)
        #expect(loaded.name == "t")
        var random = SeededGenerator(seed: 2)
        var scratch = [Double](repeating: 0, count: Observation.featureCount + 5)
        for _ in 0..<200 {
            let observation = Observation(
                category: IncidentCategory.allCases[random.nextIndex(below: 4)], severity: Severity.allCases[random.nextIndex(below: 4)],
                age: random.nextUnit() * 900, slackToSLA: random.nextUnit() * 7200 - 600, skill: 0.2 + 0.8 * random.nextUnit(),
                expectedService: 600, load: random.nextIndex(below: 4), capacity: 4, recentWinRate: random.nextUnit(),
                stormIntensity: 1 + random.nextUnit(), kind: SpecialistKind.allCases[random.nextIndex(below: 4)]
            )
            var features = observation.features
            let expected = features.withUnsafeMutableBufferPointer { f in
                scratch.withUnsafeMutableBufferPointer { s in trainer.agent.act(f.baseAddress!, mask: nil, scratch: s.baseAddress!) }
            }
            #expect(served.action(for: observation) == expected)
        }
    }

    @Test func brokenCheckpointsAreRefusedWithTheReason() throws {
        let trainer = try Self.smallTrainer(seed: 6)
        var checkpoint = trainer.checkpoint(name: "t", command: "test", wallSeconds: 1, evaluation: [])
        checkpoint.actorWeights.removeLast()
        #expect(checkpoint.problems.contains { $0.contains("actor_weights") })
        checkpoint = trainer.checkpoint(name: "t", command: "test", wallSeconds: 1, evaluation: [])
        checkpoint.version = 99
        #expect(throws: CheckpointError.self) { try LearnedBiddingPolicy(checkpoint: checkpoint) }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tender-bad-\(UInt32.random(in: 0...UInt32.max)).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try #"{"format": "tender-ppo-policy"}"#.write(toFile: path, atomically: true, encoding: .utf8)
        #expect { try PolicyCheckpoint.load(path: path) } throws: { "\($0)".contains("missing") }
    }

    /// Features are only appended, so a checkpoint trained before a feature existed is served
    /// on the prefix it knows: it acts exactly as the same network with a zero row for the new
    /// input would. A list that is not a prefix is refused.
    @Test func aCheckpointOnAPrefixOfTheFeaturesIsServedOnThatPrefix() throws {
        let trainer = try Self.smallTrainer(seed: 7)
        _ = try trainer.iterate()
        var full = trainer.checkpoint(name: "t", command: "test", wallSeconds: 1, evaluation: [])
        let n = Observation.featureCount, width = full.architecture.hidden[0]
        // The first layer is input-major: row i holds input i's weights to every unit.
        for unit in 0..<width { full.actorWeights[(n - 1) * width + unit] = 0 }
        var older = full
        older.features.removeLast()
        older.architecture.inputs = n - 1
        older.actorWeights.removeSubrange((n - 1) * width..<n * width)
        older.criticWeights.removeSubrange((n - 1) * width..<n * width)
        older.normalisation?.mean.removeLast()
        older.normalisation?.variance.removeLast()
        #expect(older.problems.isEmpty, "\(older.problems)")
        let (servedFull, servedOlder) = (try LearnedBiddingPolicy(checkpoint: full), try LearnedBiddingPolicy(checkpoint: older))
        var random = SeededGenerator(seed: 3)
        var bids = 0
        for _ in 0..<300 {
            let observation = Observation(
                category: IncidentCategory.allCases[random.nextIndex(below: 4)], severity: Severity.allCases[random.nextIndex(below: 4)],
                age: random.nextUnit() * 900, slackToSLA: random.nextUnit() * 7200 - 600, skill: 0.2 + 0.8 * random.nextUnit(),
                expectedService: 600, load: random.nextIndex(below: 4), capacity: 4, recentWinRate: random.nextUnit(),
                kind: SpecialistKind.allCases[random.nextIndex(below: 4)], invited: 1 + random.nextIndex(below: 6)
            )
            #expect(servedOlder.action(for: observation) == servedFull.action(for: observation))
            if servedFull.action(for: observation) != 0 { bids += 1 }
        }
        #expect(bids > 0)
        var shuffled = full
        shuffled.features.swapAt(0, 1)
        #expect(shuffled.problems.contains { $0.contains("prefix") })
        #expect(throws: CheckpointError.self) { try LearnedBiddingPolicy(checkpoint: shuffled) }
    }

    @Test func stormFamiliesAreSeededAndDistinct() throws {
        let profiles = try Self.profiles()
        let training = StormFamily(kind: .training, profiles: profiles)
        let holdout = StormFamily(kind: .holdout, profiles: profiles)
        #expect(training.storm(seed: 3).description == training.storm(seed: 3).description)
        #expect(training.storm(seed: 3).description != training.storm(seed: 4).description)
        #expect(StormFamily.hash(training.storm(seed: 3).description) != StormFamily.hash(holdout.storm(seed: 3).description))
    }

    @Test func refusalByACapableLearnedBidderDefersToTheBacklog() {
        let observation = Observation(category: .network, severity: .high, age: 0, slackToSLA: 3600, skill: 0.9, expectedService: 600, load: 1, capacity: 4)
        #expect(BidActions.standard.decision(0, observation) == .refuse(.atCapacity))
        #expect(BidActions.standard.decision(2, observation) == .bid(Bid(eta: observation.honestETA, confidence: 0.9)))
        var weak = observation
        weak.skill = 0.05
        #expect(BidActions.standard.decision(3, weak) == .refuse(.notCapable))
    }
}
