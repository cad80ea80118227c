import Testing
import TenderCore
@testable import TenderLearning

/// The evaluation's split of escalations: by the engine's reason, and `no_capable_specialist`
/// by whether anybody capable was present and whether a capable free specialist had refused.
@Suite struct EscalationBreakdownTests {
    static func noCapable(_ presence: String) -> Escalation {
        Escalation(reason: .noCapableSpecialist, attempts: 0, detail: "no capable network specialist \(presence) for 300 s")
    }

    @Test func noCapableIsSplitByPresenceAndRefusal() {
        var breakdown = EscalationBreakdown()
        breakdown.add(Self.noCapable("present"), refused: false)
        breakdown.add(Self.noCapable("present"), refused: false)
        breakdown.add(Self.noCapable("present"), refused: true)
        breakdown.add(Self.noCapable("willing to bid"), refused: true)
        breakdown.add(Self.noCapable("willing to bid"), refused: true)
        breakdown.add(Self.noCapable("willing to bid"), refused: false)
        breakdown.add(Escalation(reason: .attemptsExhausted, attempts: 3, detail: "3 attempts failed"), refused: true)
        #expect(breakdown.reasons == ["no_capable_specialist": 6, "attempts_exhausted": 1])
        #expect(breakdown.nobodyPresentNeverRefused == 2)
        #expect(breakdown.nobodyPresentRefusedBefore == 1)
        #expect(breakdown.presentRefused == 2)
        #expect(breakdown.presentNeverRefused == 1)
        #expect(breakdown.noCapable == 6)
        #expect(breakdown.noCapableSplit.map(\.key) == [
            "nobody_present_never_refused", "nobody_present_refused_before", "present_refused", "present_never_refused",
        ])
        #expect(breakdown.summary.contains("nobody present 3 (1 refused before), present 3 (2 refused"))
    }

    @Test func presenceIsReadFromTheEnginesDetail() {
        #expect(EscalationBreakdown.saysPresent("no capable database specialist willing to bid for 300 s"))
        #expect(!EscalationBreakdown.saysPresent("no capable database specialist present for 300 s"))
    }

    @Test func mergeAddsEveryCount() {
        var a = EscalationBreakdown()
        a.add(Self.noCapable("present"), refused: false)
        var b = EscalationBreakdown()
        b.add(Self.noCapable("willing to bid"), refused: true)
        b.add(Escalation(reason: .slaAtRisk, attempts: 0, detail: "late"), refused: false)
        a.merge(b)
        #expect(a.reasons == ["no_capable_specialist": 2, "sla_at_risk": 1])
        #expect(a.nobodyPresentNeverRefused == 1 && a.presentRefused == 1 && a.noCapable == 2)
        #expect(EscalationBreakdown().summary.isEmpty)
    }

    @Test func tallyRemembersRefusedIncidentsPerStorm() {
        let shedding = BidTally(LoadSheddingPolicy(threshold: 0))
        var capable = Observation(category: .network, severity: .high, age: 0, slackToSLA: 3600, skill: 0.9, expectedService: 600, load: 0, capacity: 2, kind: .network)
        capable.incident = 7
        var full = capable
        full.incident = 8
        full.load = 2
        _ = shedding.decide(capable)
        _ = shedding.decide(full) // no free slot: not the policy's choice
        #expect(shedding.refused(7) && !shedding.refused(8))
        shedding.beginStorm()
        #expect(!shedding.refused(7))
        #expect(shedding.refusals == 1)
        let honest = BidTally(HonestETAPolicy())
        _ = honest.decide(capable)
        #expect(!honest.refused(7))
    }
}
