import Testing
import TenderCore
@testable import TenderService

/// The decision `Coordinator.submit` makes before storing anything, without a coordinator.
@Suite struct IntakeGateTests {
    let gate = IntakeGate(limits: .standard, maxOpenIncidents: 10)
    let fine = IncidentSubmission(category: .security, severity: .high, reference: "t-1")
    let off = AdmissionLimit(settings: .init(target: 0))

    @Test func admitsAWellFormedIncidentWithRoom() {
        #expect(gate.decide(fine, draining: false, open: 9, admission: off) == .admit)
    }

    @Test func anOversizedIncidentIsRefusedForGoodEvenWhenBusyFromEveryIntakePath() {
        var huge = fine
        huge.entities = Array(repeating: .user("a"), count: 16_000)
        let decision = gate.decide(huge, draining: true, open: 10, admission: off)
        #expect(decision == .refuse(.rejected("entities: has 16000 entities; at most 256", reference: "t-1", retryable: false), overloaded: nil))
    }

    @Test func fullOrDrainingIsRetryable() {
        #expect(gate.decide(fine, draining: false, open: 10, admission: off) == .refuse(.rejected("overloaded", reference: "t-1", retryable: true), overloaded: .full))
        #expect(gate.decide(fine, draining: true, open: 0, admission: off) == .refuse(.rejected("shutting down", reference: "t-1", retryable: true), overloaded: nil))
    }

    @Test func pastTheAdmissionLimitIsOverloadedByAdmission() {
        let pinned = AdmissionLimit(settings: .init(target: 0.025, floor: 3, ceiling: 3))
        let wide = IntakeGate(limits: .standard, maxOpenIncidents: 100)
        #expect(wide.decide(fine, draining: false, open: 2, admission: pinned) == .admit)
        #expect(wide.decide(fine, draining: false, open: 3, admission: pinned) == .refuse(.rejected("overloaded", reference: "t-1", retryable: true), overloaded: .admissionLimit))
    }
}
