import Testing
import TenderCore
@testable import TenderLearning

/// The per-decision fairness credit (`--reward-fairness-credit`): the sign of a decision's
/// effect on the capability-normalised Jain index, credited to the decision that had it.
@Suite struct FairnessCreditTests {
    @Test func underServedSpecialistsWeighPositiveAndOverServedNegative() {
        // Work ÷ capability: idle, light, even, heavy.
        let credit = FairnessCredit(values: [0, 1, 2, 6])
        #expect(credit.weights[0] == 1, "a specialist that did nothing is the most under-served")
        #expect(credit.weights[1] > 0 && credit.weights[2] > 0)
        #expect(credit.weights[3] < 0)
        #expect(credit.weights.allSatisfy { (-1...1).contains($0) })
        // One more task to an under-served specialist raises Jain; to the heavy one lowers it.
        func jain(_ x: [Double]) -> Double { let s = x.reduce(0, +); return s * s / (Double(x.count) * x.reduce(0) { $0 + $1 * $1 }) }
        #expect(jain([0, 1.1, 2, 6]) > jain([0, 1, 2, 6]))
        #expect(jain([0, 1, 2, 6.1]) < jain([0, 1, 2, 6]))
        // An even allocation credits nobody; no work at all credits nobody.
        #expect(FairnessCredit(values: [3, 3, 3]).weights == [0, 0, 0])
        #expect(FairnessCredit(values: [0, 0]).weights == [0, 0])
    }

    @Test func winsEarnRefusalsCostAndLostBidsAreNeutral() {
        let credit = FairnessCredit(values: [0, 6])
        #expect(credit.credit(0, refused: false, won: true) == 1)
        #expect(credit.credit(0, refused: true, won: false) == -1)
        #expect(credit.credit(0, refused: false, won: false) == 0)
        #expect(FairnessCredit(values: [0, 1, 6]).credit(2, refused: true, won: false) > 0, "the over-served refusing helps")
        #expect(credit.credit(7, refused: false, won: true) == 0, "unknown specialist")
    }

    /// Through the recorder: decisions are matched to their specialist and round as the
    /// simulator reports them (decide, then answered), and a win is read from the award.
    @Test func theRecorderCreditsEachDecisionToItsSpecialist() {
        var weights = RewardWeights()
        weights.fairnessCredit = 2
        let agent = ActorCritic(observationSize: Observation.featureCount, actionCount: 5, hidden: [4], activation: .tanh, normalise: false)
        let recorder = DecisionRecorder(agent: agent, actions: .standard, weights: weights, seed: 1)
        recorder.chosen = [2, 0, 3]
        recorder.incidents = [1, 2, 1]
        recorder.deciders = [0, 0, 1]
        recorder.rounds = [1, 1, 1]
        recorder.winners[AuctionRef(incident: IncidentID(1), round: 1)] = 0
        let credit = FairnessCredit(values: [0, 6])
        let base = recorder.reward(0, fairnessShortfall: 0)
        #expect(recorder.reward(0, fairnessShortfall: 0, fairnessCredit: credit) == base + 2, "won, under-served")
        #expect(recorder.reward(1, fairnessShortfall: 0, fairnessCredit: credit) == recorder.reward(1, fairnessShortfall: 0) - 2, "refused, under-served")
        #expect(recorder.reward(2, fairnessShortfall: 0, fairnessCredit: credit) == recorder.reward(2, fairnessShortfall: 0), "bid and lost")
        #expect(RewardWeights().fairnessCredit == 0, "off by default")
    }
}
