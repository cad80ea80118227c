import Testing
@testable import TenderLearning

/// `tender tune`'s draws: reproducible by seed, inside the documented ranges, and varied.
@Suite struct TuningSpaceTests {
    @Test func drawsAreSeededAndInsideTheirRanges() {
        let trials = TuningSpace.sample(count: 200, seed: 3)
        #expect(trials.map(\.hyperparameters) == TuningSpace.sample(count: 200, seed: 3).map(\.hyperparameters))
        #expect(trials.map(\.seed) == TuningSpace.sample(count: 200, seed: 3).map(\.seed))
        #expect(trials.map(\.hyperparameters) != TuningSpace.sample(count: 200, seed: 4).map(\.hyperparameters))
        #expect(Set(trials.map(\.seed)).count == 200)
        for (_, h) in trials {
            #expect(TuningSpace.learningRate.contains(h.learningRate))
            #expect(TuningSpace.entropyCoefficient.contains(h.entropyCoefficient))
            #expect(TuningSpace.clipCoefficients.contains(h.clipCoefficient))
            #expect(TuningSpace.epochs.contains(h.epochs))
            #expect(TuningSpace.minibatches.contains(h.minibatches))
            #expect(TuningSpace.gamma.contains(h.gamma) && TuningSpace.gaeLambda.contains(h.gaeLambda))
            #expect(TuningSpace.rewardEscalation.contains(h.rewardEscalation) && TuningSpace.rewardFairness.contains(h.rewardFairness))
        }
        // Every choice of the short lists comes up in 200 draws.
        #expect(Set(trials.map(\.hyperparameters.epochs)) == Set(TuningSpace.epochs))
        #expect(Set(trials.map(\.hyperparameters.minibatches)) == Set(TuningSpace.minibatches))
        // Log-uniform: about half the learning rates fall below the geometric midpoint.
        let below = trials.filter { $0.hyperparameters.learningRate < (1e-4 * 1e-3).squareRoot() }.count
        #expect((70...130).contains(below))
    }

    @Test func weightsScaleTheBreachPenalties() {
        var h = TuningSpace.sample(count: 1, seed: 1)[0].hyperparameters
        h.rewardBreachScale = 2
        #expect(h.weights.breach == RewardWeights().breach.map { $0 * 2 })
        #expect(h.weights.escalation == h.rewardEscalation && h.weights.open == h.rewardOpen)
    }
}
