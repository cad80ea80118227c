import Testing
import TenderCore
@testable import TenderLearning

/// The evaluation's split of escalations: by the engine's reason, and `no_capable_specialist`
/// by whether anybody capable was present and whether a capable free specialist had refused.
@Suite struct EscalationBreakdownTests {
    static func noCapable(_ presence: String) -> Escalation {
        Escalation(reason: .noCapableSpecialist, attempts: 0, detail: "no capable network specialist \(presence) for 300 s",
                   capablePresent: presence == "willing to bid")
    }

    @Test func noCapableIsSplitByPresenceAndRefusal() {
        var breakdown = EscalationBreakdown()
        breakdown.add(Self.noCapable("present"), declined: false)
        breakdown.add(Self.noCapable("present"), declined: false)
        breakdown.add(Self.noCapable("present"), declined: true)
        breakdown.add(Self.noCapable("willing to bid"), declined: true)
        breakdown.add(Self.noCapable("willing to bid"), declined: true)
        breakdown.add(Self.noCapable("willing to bid"), declined: false)
        breakdown.add(Escalation(reason: .attemptsExhausted, attempts: 3, detail: "3 attempts failed"), declined: true)
        #expect(breakdown.reasons == ["no_capable_specialist": 6, "attempts_exhausted": 1])
        #expect(breakdown.nobodyPresentNeverDeclined == 2)
        #expect(breakdown.nobodyPresentDeclinedBefore == 1)
        #expect(breakdown.presentDeclined == 2)
        #expect(breakdown.presentNeverDeclined == 1)
        #expect(breakdown.noCapable == 6)
        #expect(breakdown.noCapableSplit.map(\.key) == [
            "nobody_present_never_declined", "nobody_present_declined_before", "present_declined", "present_never_declined",
        ])
        #expect(breakdown.summary.contains("nobody present 3 (1 declined before), present 3 (2 declined)"))
    }

    @Test func mergeAddsEveryCount() {
        var a = EscalationBreakdown()
        a.add(Self.noCapable("present"), declined: false)
        var b = EscalationBreakdown()
        b.add(Self.noCapable("willing to bid"), declined: true)
        b.add(Escalation(reason: .slaAtRisk, attempts: 0, detail: "late"), declined: false)
        a.merge(b)
        #expect(a.reasons == ["no_capable_specialist": 2, "sla_at_risk": 1])
        #expect(a.nobodyPresentNeverDeclined == 1 && a.presentDeclined == 1 && a.noCapable == 2)
        #expect(EscalationBreakdown().summary.isEmpty)
    }

    /// A round declined is one whose answers were all refusals; a refusal for lack of skill, or
    /// a round with any bid, does not count.
    @Test func counterFlagsIncidentsWithARoundEveryAnswerRefused() {
        let counter = OutcomeCounter()
        func answer(_ incident: UInt64, round: UInt32, _ decision: BidDecision) {
            counter.answered(AuctionRef(incident: IncidentID(incident), round: round), by: SpecialistID(0), decision, at: 0)
        }
        answer(1, round: 1, .refuse(.atCapacity))
        answer(1, round: 1, .bid(Bid(eta: 60)))
        answer(2, round: 1, .refuse(.notCapable))
        answer(3, round: 1, .bid(Bid(eta: 60)))
        answer(3, round: 2, .refuse(.atCapacity))
        answer(3, round: 2, .refuse(.declined))
        #expect(!counter.declined(1) && !counter.declined(2) && counter.declined(3))
        for incident in UInt64(1)...3 {
            counter.concluded(IncidentID(incident), .escalated(Self.noCapable("present")), category: .network, severity: .low,
                              arrivedAt: 0, slaDeadline: 100, at: 400)
        }
        #expect(counter.escalations.nobodyPresentNeverDeclined == 2 && counter.escalations.nobodyPresentDeclinedBefore == 1)
        #expect(counter.breached[Severity.low.rawValue] == 3)
        #expect(!counter.declined(3)) // forgotten once concluded
    }

    /// Resolved incidents that were still waiting (backlogged or between attempts) at 90% of
    /// their SLA window are what the live engine would have paged as `sla_at_risk`.
    @Test func resolvedIncidentsWaitingPastTheRiskPointAreCounted() {
        let counter = OutcomeCounter()
        #expect(counter.slaRiskFraction == 0.9)
        func ref(_ incident: UInt64) -> AuctionRef { AuctionRef(incident: IncidentID(incident), round: 2) }
        func resolve(_ incident: UInt64, at now: Double) {
            counter.concluded(IncidentID(incident), .resolved(by: SpecialistID(0)), category: .database, severity: .high,
                              arrivedAt: 0, slaDeadline: 100, at: now)
        }
        counter.engineAction(.backlogged(IncidentID(1)), at: 10)
        counter.engineAction(.announced(ref(1), invited: 2), at: 95) // waited across 90
        counter.engineAction(.backlogged(IncidentID(2)), at: 10)
        counter.engineAction(.announced(ref(2), invited: 2), at: 50) // picked up in time
        counter.engineAction(.retrying(IncidentID(3), attempt: 2, .winnerFailed), at: 92) // starts waiting after 90
        counter.engineAction(.announced(ref(3), invited: 1), at: 93)
        counter.engineAction(.backlogged(IncidentID(4)), at: 80) // still waiting when resolved? no: resolved from a later round
        counter.engineAction(.announced(ref(4), invited: 1), at: 85)
        for (incident, at) in [(UInt64(1), 150.0), (2, 150), (3, 150), (4, 150)] { resolve(incident, at: at) }
        #expect(counter.escalations.resolvedPastSLARiskPoint == 2)
        // An escalated incident is already an escalation; it is not counted again.
        counter.engineAction(.backlogged(IncidentID(5)), at: 10)
        counter.concluded(IncidentID(5), .escalated(Self.noCapable("present")), category: .database, severity: .high,
                          arrivedAt: 0, slaDeadline: 100, at: 310)
        #expect(counter.escalations.resolvedPastSLARiskPoint == 2)
    }
}
