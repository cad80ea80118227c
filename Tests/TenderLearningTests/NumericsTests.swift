import Foundation
import Testing
import TenderCore
@testable import TenderLearning

@Suite struct NumericsTests {
    /// GAE against a hand computation: two environments, three steps, an episode boundary.
    @Test func gaeMatchesAHandComputation() {
        let gamma = 0.9, lambda = 0.8
        // Row-major [t][e]. Env 0 starts a new episode at t = 2; env 1 runs straight through.
        let rewards: [Double] = [1, 0, 2, 1, 3, 0]
        let values: [Double] = [0.5, 1, 1, 0.5, 0.2, 2]
        let dones: [Double] = [0, 0, 0, 0, 1, 0]
        let nextValues: [Double] = [4, 1]
        let nextDones: [Double] = [0, 1]
        var advantages = [Double](repeating: 0, count: 6)
        var returns = [Double](repeating: 0, count: 6)
        GAE.compute(
            steps: 3, environments: 2, gamma: gamma, lambda: lambda, rewards: rewards, values: values, dones: dones,
            nextValues: nextValues, nextDones: nextDones, advantages: &advantages, returns: &returns
        )
        // Env 0: t2 bootstraps from 4; t1 is cut (t2 began a new episode); t0 from t1.
        let d0_2 = 3 + gamma * 4 - 0.2
        let d0_1 = 2 + 0 - 1.0
        let d0_0 = 1 + gamma * 1 - 0.5
        let a0_2 = d0_2
        let a0_1 = d0_1
        let a0_0 = d0_0 + gamma * lambda * a0_1
        // Env 1: the next step is a reset (nextDone), so t2 does not bootstrap.
        let d1_2 = 0 - 2.0
        let d1_1 = 1 + gamma * 2 - 0.5
        let d1_0 = 0 + gamma * 0.5 - 1
        let a1_2 = d1_2
        let a1_1 = d1_1 + gamma * lambda * a1_2
        let a1_0 = d1_0 + gamma * lambda * a1_1
        let expected = [a0_0, a1_0, a0_1, a1_1, a0_2, a1_2]
        for k in 0..<6 {
            #expect(abs(advantages[k] - expected[k]) < 1e-12)
            #expect(abs(returns[k] - (expected[k] + values[k])) < 1e-12)
        }
    }

    @Test func logSoftmaxIsStableForHugeLogits() {
        let logits: [Double] = [1000, 999, -1000]
        var out = [Double](repeating: 0, count: 3)
        #expect(Categorical.logSoftmax(logits, mask: nil, count: 3, into: &out))
        #expect(out.allSatisfy { $0.isFinite })
        #expect(abs(out[0] - -log1p(exp(-1))) < 1e-12)
        #expect(abs(exp(out[0]) + exp(out[1]) + exp(out[2]) - 1) < 1e-12)
    }

    @Test func maskedActionsHaveZeroProbabilityAndAreNeverSampled() {
        let logits: [Double] = [5, 0, 0, 5]
        let mask = [false, true, true, false]
        var out = [Double](repeating: 0, count: 4)
        #expect(Categorical.logSoftmax(logits, mask: mask, count: 4, into: &out))
        #expect(out[0] == -.infinity && out[3] == -.infinity)
        #expect(abs(out[1] - log(0.5)) < 1e-12)
        #expect(abs(Categorical.entropy(out, count: 4) - log(2)) < 1e-12)
        var random = SeededGenerator(seed: 1)
        for _ in 0..<1000 { #expect(mask[Categorical.sample(out, count: 4, random: &random)]) }
        #expect(mask[Categorical.mode(out, count: 4)])
    }

    @Test func everyActionMaskedIsReportedNotNaN() {
        var out = [Double](repeating: 0, count: 2)
        #expect(!Categorical.logSoftmax([1, 2], mask: [false, false], count: 2, into: &out))
    }

    @Test func orthogonalMatricesHaveOrthonormalColumnsOrRows() {
        var random = SeededGenerator(seed: 4)
        for (rows, columns) in [(8, 3), (3, 8), (5, 5)] {
            let m = Orthogonal.matrix(rows: rows, columns: columns, gain: 2, random: &random)
            let tall = rows >= columns
            let count = tall ? columns : rows
            for i in 0..<count {
                for j in 0..<count {
                    var dot = 0.0
                    for k in 0..<(tall ? rows : columns) {
                        dot += tall ? m[k * columns + i] * m[k * columns + j] : m[i * columns + k] * m[j * columns + k]
                    }
                    #expect(abs(dot - (i == j ? 4 : 0)) < 1e-9)
                }
            }
        }
    }

    @Test func adamFirstStepMovesEachParameterByTheLearningRate() {
        let adam = Adam(count: 2, learningRate: 0.1)
        var parameters: [Double] = [1, 1]
        var gradients: [Double] = [3, -0.001]
        parameters.withUnsafeMutableBufferPointer { p in gradients.withUnsafeMutableBufferPointer { g in adam.update(p, g) } }
        // Bias-corrected m/√v is ±1 on the first step (up to eps).
        #expect(abs(parameters[0] - 0.9) < 1e-5)
        #expect(abs(parameters[1] - 1.1) < 1e-2)
    }

    @Test func clippingScalesTheJointNormAndLeavesSmallGradientsAlone() {
        var a: [Double] = [3, 0]
        var b: [Double] = [4]
        let norm = a.withUnsafeMutableBufferPointer { a in b.withUnsafeMutableBufferPointer { b in GradientClipping.clip([a, b], maxNorm: 1) } }
        #expect(abs(norm - 5) < 1e-12)
        #expect(abs((a[0] * a[0] + b[0] * b[0]).squareRoot() - 1) < 1e-6)
        var small: [Double] = [0.1]
        small.withUnsafeMutableBufferPointer { _ = GradientClipping.clip([$0], maxNorm: 1) }
        #expect(small == [0.1])
    }

    @Test func cartPoleFollowsGymDynamics() {
        var pole = CartPole()
        var random = SeededGenerator(seed: 1)
        var observation = [Double](repeating: 0, count: 4)
        pole.reset(random: &random, observation: &observation)
        (pole.x, pole.xDot, pole.theta, pole.thetaDot) = (0, 0, 0, 0)
        let result = pole.step(1, observation: &observation)
        // From rest, a push right: xAcc = 10/1.1 − 0.05·θAcc/1.1 with θAcc = −(10/1.1)/(0.5·(4/3 − 0.1/1.1)).
        let temp = 10 / 1.1
        let thetaAcc = -temp / (0.5 * (4.0 / 3.0 - 0.1 / 1.1))
        let xAcc = temp - 0.05 * thetaAcc / 1.1
        #expect(observation[0] == 0 && observation[2] == 0)
        #expect(abs(observation[1] - 0.02 * xAcc) < 1e-15)
        #expect(abs(observation[3] - 0.02 * thetaAcc) < 1e-15)
        #expect(result == StepResult(reward: 1))
    }

    @Test func cartPoleTruncatesAt500Steps() {
        var pole = CartPole()
        var random = SeededGenerator(seed: 1)
        var observation = [Double](repeating: 0, count: 4)
        pole.reset(random: &random, observation: &observation)
        var last = StepResult(reward: 0)
        for step in 1...500 {
            // Hold the pole upright artificially: only the time limit can end this episode.
            (pole.x, pole.xDot, pole.theta, pole.thetaDot) = (0, 0, 0, 0)
            last = pole.step(step % 2, observation: &observation)
            if last.done { #expect(step == 500) }
        }
        #expect(last.truncated && !last.terminated)
    }
}
