import Testing
@testable import TenderCore

/// An execution stopped by a denied or unanswered approval (or a rollback that did not finish)
/// escalates at once through `.executionEscalated`, naming the reason; it is not re-auctioned
/// and not held against the specialist.
@Suite struct ExecutionEscalationTests {
    func executing(maxAttempts: Int = 4) -> EngineHarness {
        var config = EngineConfig()
        config.executesPlans = true
        config.maxAttempts = maxAttempts
        var h = EngineHarness(config: config, specialists: [specialist(0), specialist(1)])
        h.send(.incidentArrived(ticket(1)))
        h.send(.proposal(ref(1), from: SpecialistID(0), Bid(eta: 10)))
        h.send(.proposal(ref(1), from: SpecialistID(1), Bid(eta: 11)))
        h.send(.outcome(ref(1), from: SpecialistID(0), .result))
        return h
    }

    @Test(arguments: [EscalationReason.approvalDenied, .approvalTimedOut, .rollbackIncomplete])
    func aStoppedExecutionEscalatesAtOnceWithItsReason(_ reason: EscalationReason) {
        var h = executing()
        let outcome = ExecutionOutcome.rolledBack(reason: "step 2 (reroute_traffic) denied by bob: freeze")
        let actions = h.send(.executionEscalated(ref(1), outcome, reason))
        guard case .escalated(let escalation) = actions.conclusions.first?.1 else { Issue.record("not escalated: \(actions)"); return }
        #expect(escalation.reason == reason)
        #expect(escalation.detail == "step 2 (reroute_traffic) denied by bob: freeze")
        #expect(escalation.name.hasPrefix(reason.name + ": "))
        #expect(actions.retries.isEmpty, "not re-auctioned")
        #expect(escalation.attempts == 0, "a denial is not a failed attempt")
        #expect(h.engine.openAuctions == 0)
        #expect(h.advance(by: 10_000).conclusions.isEmpty, "concluded once")
    }

    @Test func theReasonsHaveStableSnakeCaseNames() {
        #expect(EscalationReason.approvalDenied.name == "approval_denied")
        #expect(EscalationReason.approvalTimedOut.name == "approval_timed_out")
        #expect(EscalationReason.rollbackIncomplete.name == "rollback_incomplete")
        #expect(Set(EscalationReason.allCases.map(\.name)).count == EscalationReason.allCases.count)
    }

    @Test func anEscalationForAnIncidentNotExecutingChangesNothing() {
        var h = executing()
        #expect(h.send(.executionEscalated(ref(1, round: 9), .rolledBack(reason: "x"), .approvalDenied)).ignored == [.notExecuting])
        h.send(.cancel(IncidentID(1)))
        let late = h.send(.executionEscalated(ref(1), .rolledBack(reason: "cancelled"), .rollbackIncomplete))
        #expect(late.conclusions.isEmpty, "a cancelled incident stays cancelled")
        #expect(h.log.conclusions.map(\.1) == [.cancelled])
    }

    @Test func anOrdinaryRollbackStillReauctions() {
        var h = executing()
        let actions = h.send(.executionFinished(ref(1), .rolledBack(reason: "step 2 failed")))
        #expect(actions.conclusions.isEmpty)
        #expect(actions.retries.map(\.2) == [.executionRolledBack])
    }
}
