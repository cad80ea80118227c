import Testing
import TenderCore
@testable import TenderLearning

/// The declined-escalation penalty: a refusal of an incident later escalated because nobody
/// capable was there costs extra; bids on it, other escalations and other refusals do not.
@Suite struct DeclinedEscalationRewardTests {
    static func recorder(declined: Double) -> DecisionRecorder {
        var weights = RewardWeights()
        weights.declinedEscalation = declined
        let agent = ActorCritic(observationSize: Observation.featureCount, actionCount: 5, hidden: [4], activation: .tanh, normalise: false)
        return DecisionRecorder(agent: agent, actions: .standard, weights: weights, seed: 1)
    }

    static func conclude(_ recorder: DecisionRecorder, _ incident: UInt64, _ reason: EscalationReason?) {
        let conclusion: Conclusion = reason.map { .escalated(Escalation(reason: $0, attempts: 0, detail: "test")) } ?? .resolved(by: SpecialistID(0))
        recorder.concluded(IncidentID(incident), conclusion, category: .security, severity: .high, arrivedAt: 0, slaDeadline: 3600, at: 1800)
    }

    @Test func onlyRefusalsOfIncidentsEscalatedForNobodyPayIt() {
        let recorder = Self.recorder(declined: 5)
        // Decisions: refuse 1, bid on 1, refuse 2 (escalated for failures), refuse 3 (resolved).
        recorder.chosen = [0, 2, 0, 0]
        recorder.incidents = [1, 1, 2, 3]
        Self.conclude(recorder, 1, .noCapableSpecialist)
        Self.conclude(recorder, 2, .attemptsExhausted)
        Self.conclude(recorder, 3, nil)
        let escalated = -RewardWeights().escalation - RewardWeights().breach[Severity.high.rawValue]
        #expect(recorder.reward(0, fairnessShortfall: 0) == escalated - 5)
        #expect(recorder.reward(1, fairnessShortfall: 0) == escalated)
        #expect(recorder.reward(2, fairnessShortfall: 0) == escalated)
        #expect(recorder.reward(3, fairnessShortfall: 0) == -0.5)
        recorder.clear()
        #expect(recorder.escalatedForNobody.isEmpty)
    }

    @Test func theDefaultLeavesRewardsAsTheyWere() {
        #expect(RewardWeights().declinedEscalation == 0)
        let recorder = Self.recorder(declined: 0)
        recorder.chosen = [0, 2]
        recorder.incidents = [1, 1]
        Self.conclude(recorder, 1, .noCapableSpecialist)
        #expect(recorder.reward(0, fairnessShortfall: 0.1) == recorder.reward(1, fairnessShortfall: 0.1))
    }
}
