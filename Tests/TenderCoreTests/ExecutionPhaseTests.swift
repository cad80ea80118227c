import Testing
@testable import TenderCore

/// With `executesPlans`, a plan resolves the incident only once applied; a rollback or a refused
/// plan is a real failure, re-auctioned without that specialist.
@Suite struct ExecutionPhaseTests {
    func executing(_ pool: [SpecialistInfo] = [specialist(0), specialist(1)], maxAttempts: Int = 4) -> EngineHarness {
        var config = EngineConfig()
        config.executesPlans = true
        config.maxAttempts = maxAttempts
        var h = EngineHarness(config: config, specialists: pool)
        h.send(.incidentArrived(ticket(1)))
        for info in pool { h.send(.proposal(ref(1), from: info.id, Bid(eta: 10 + Double(info.id.index)))) }
        return h
    }

    func executes(_ actions: [EngineAction]) -> [SpecialistID] {
        actions.compactMap { if case .execute(_, let by) = $0 { by } else { nil } }
    }

    @Test func aPlanIsExecutedBeforeTheIncidentResolves() {
        var h = executing()
        let plan = h.send(.outcome(ref(1), from: SpecialistID(0), .result))
        #expect(executes(plan) == [SpecialistID(0)])
        #expect(plan.conclusions.isEmpty, "a plan that arrived is not yet a remediation")
        #expect(h.engine.specialists.load(SpecialistID(0)) == 0, "the specialist's part is over")
        #expect(h.advance(by: 10_000).conclusions.isEmpty, "no commitment timer runs over an execution")
        let applied = h.send(.executionFinished(ref(1), .applied))
        #expect(applied.conclusions.map(\.1) == [.resolved(by: SpecialistID(0))])
        #expect(h.engine.openAuctions == 0)
    }

    @Test func aRolledBackPlanIsReauctionedWithoutItsSpecialist() {
        var h = executing([specialist(0), specialist(1), specialist(2)])
        h.send(.outcome(ref(1), from: SpecialistID(0), .result))
        let rolledBack = h.send(.executionFinished(ref(1), .rolledBack(reason: "step 2 timed out")))
        #expect(rolledBack.retries.map(\.2) == [.executionRolledBack])
        let retry = h.advance(by: 0.5)
        #expect(retry.cfpRecipients == [SpecialistID(1), SpecialistID(2)], "the failed specialist is left out")
        h.send(.proposal(ref(1, round: 2), from: SpecialistID(1), Bid(eta: 10)))
        h.send(.proposal(ref(1, round: 2), from: SpecialistID(2), Bid(eta: 12)))
        h.send(.outcome(ref(1, round: 2), from: SpecialistID(1), .result))
        let refused = h.send(.executionFinished(ref(1, round: 2), .refused(reason: "action `rm` is not in the profile")))
        #expect(refused.retries.map(\.2) == [.planRefused])
        #expect(h.advance(by: 1).cfpRecipients == [SpecialistID(2)])
    }

    @Test func whenEveryCapableSpecialistIsExcludedTheExclusionIsLifted() {
        var h = executing([specialist(0)])
        h.send(.outcome(ref(1), from: SpecialistID(0), .result))
        h.send(.executionFinished(ref(1), .rolledBack(reason: "x")))
        #expect(h.advance(by: 0.5).cfpRecipients == [SpecialistID(0)], "rather than wait for nobody")
    }

    @Test func rollbacksExhaustTheAttempts() {
        var h = executing([specialist(0)], maxAttempts: 2)
        h.send(.outcome(ref(1), from: SpecialistID(0), .result))
        h.send(.executionFinished(ref(1), .rolledBack(reason: "x")))
        h.advance(by: 0.5)
        h.send(.proposal(ref(1, round: 2), from: SpecialistID(0), Bid(eta: 3)))
        h.send(.outcome(ref(1, round: 2), from: SpecialistID(0), .result))
        let last = h.send(.executionFinished(ref(1, round: 2), .rolledBack(reason: "again")))
        guard case .escalated(let escalation) = last.conclusions.first?.1 else { Issue.record("not escalated"); return }
        #expect(escalation.reason == .attemptsExhausted)
        #expect(escalation.lastSetback == .executionRolledBack)
    }

    @Test func staleAndMisplacedExecutionReportsChangeNothing() {
        var h = executing()
        #expect(h.send(.executionFinished(ref(1), .applied)).ignored == [.notExecuting], "not executing yet")
        h.send(.outcome(ref(1), from: SpecialistID(0), .result))
        #expect(h.send(.executionFinished(ref(1, round: 7), .applied)).ignored == [.notExecuting])
        h.send(.executionFinished(ref(1), .applied))
        #expect(h.send(.executionFinished(ref(1), .applied)).ignored == [.notExecuting], "concluded once only")
        #expect(h.log.conclusions.count == 1)
    }

    @Test func cancellingDuringExecutionConcludesOnceAndIgnoresTheLateOutcome() {
        var h = executing()
        h.send(.outcome(ref(1), from: SpecialistID(0), .result))
        #expect(h.send(.cancel(IncidentID(1))).conclusions.map(\.1) == [.cancelled])
        #expect(h.send(.executionFinished(ref(1), .applied)).conclusions.isEmpty)
    }

    @Test func informDoneWithoutAPlanAndTheDefaultModeStillResolveAtOnce() {
        var h = executing()
        #expect(h.send(.outcome(ref(1), from: SpecialistID(0), .done)).conclusions.map(\.1) == [.resolved(by: SpecialistID(0))])
        var plain = EngineHarness(specialists: [specialist(0)])
        plain.send(.incidentArrived(ticket(1)))
        plain.send(.proposal(ref(1), from: SpecialistID(0), Bid(eta: 1)))
        let result = plain.send(.outcome(ref(1), from: SpecialistID(0), .result))
        #expect(executes(result).isEmpty)
        #expect(result.conclusions.map(\.1) == [.resolved(by: SpecialistID(0))])
    }
}
