import SwiftProtobuf
import Testing
import TenderConfig
import TenderCore
@testable import TenderService
import TenderWire

/// Issue 8: an incident lacking an entity every matching playbook needs is refused once as
/// not actionable, with the reason, instead of being awarded and failed four times.
@Suite struct NotActionableDecisionTests {
    let profile = try! ProfileLoader.load(path: LiveProcess.packageRoot + "/specialists/security.yaml")

    func cfp(_ category: String = "security", severity: String = "high", entities: [(String, String)]) -> WireCallForProposals {
        var cfp = WireCallForProposals()
        cfp.ref = .with { $0.incident = 7; $0.round = 1 }
        cfp.category = category
        cfp.severity = severity
        cfp.service = "api"
        cfp.ageS = 1
        cfp.slaSlackS = 900
        cfp.entities = entities.map { type, value in .with { $0.type = type; $0.value = value } }
        return cfp
    }

    func decision(_ cfp: WireCallForProposals) -> SpecialistAgent.CallDecision {
        let model = SpecialistWorkModel(kind: profile.kind, skills: profile.skills, capacity: 2, service: profile.service, failure: profile.failure)
        let observation = SpecialistAgent.observation(model: model, cfp: cfp, load: 0, recentWinRate: 0, stormIntensity: 1)
        return SpecialistAgent.decision(for: cfp, profile: profile, observation: observation, policy: HonestETAPolicy())
    }

    @Test func securityHighWithoutUserOrHostIsRefusedAsNotActionableNamingPlaybooksAndEntities() {
        guard case .notActionable(let detail) = decision(cfp(entities: [("ip", "203.0.113.7")])) else {
            Issue.record("expected a not-actionable refusal")
            return
        }
        #expect(detail.contains("contain-brute-force needs entity `user` (rotate_credentials.user)"))
        #expect(detail.contains("investigate-anomaly needs entity `host` (snapshot_logs.host)"))
    }

    /// The check before bidding and the plan built after an award agree (the agent's failure
    /// after an award, flagged not actionable, names the same reason).
    @Test func theCheckBeforeBiddingAgreesWithThePlanBuiltAfterTheAward() {
        for entities in [[("ip", "203.0.113.7")], [("user", "alice")], [], [("ip", "1"), ("host", "h")], [("ip", "1"), ("user", "u")]] {
            let incident = cfp(entities: entities)
            switch PlanBuilder.plan(from: profile, for: incident) {
            case .success: #expect(PlanBuilder.notActionable(profile, incident) == nil)
            case .failure(let why):
                #expect(why.missingEntity)
                #expect(PlanBuilder.notActionable(profile, incident) == why.description)
            }
        }
    }

    @Test func aWellFormedIncidentGoesToThePolicyWhichBids() {
        let decision = decision(cfp(entities: [("ip", "203.0.113.7"), ("user", "alice")]))
        guard case .policy(.bid(let bid)) = decision else {
            Issue.record("expected a bid, got \(decision)")
            return
        }
        #expect(bid.eta > 0)
    }

    @Test func withoutUserButWithHostTheNextPlaybookThatFitsIsUsed() throws {
        let incident = cfp(entities: [("ip", "203.0.113.7"), ("host", "web-1")])
        #expect(PlanBuilder.notActionable(profile, incident) == nil)
        let plan = try PlanBuilder.plan(from: profile, for: incident).get()
        #expect(plan.playbook == "investigate-anomaly")
        #expect(plan.steps.first?.parameters.first?.value == "web-1")
    }

    @Test func aSpecialistWithoutAPlaybookIsNotCapableRatherThanTheIncidentNotActionable() {
        var bare = profile
        bare.playbooks = []
        let incident = cfp(entities: [])
        #expect(PlanBuilder.notActionable(bare, incident) == nil)
        guard case .failure(let why) = PlanBuilder.plan(from: bare, for: incident) else {
            Issue.record("expected a failure without playbooks")
            return
        }
        #expect(!why.missingEntity)
        #expect(why.description.contains("no playbook"))
    }

    @Test func anUnknownCategoryIsNotCapableNotNotActionable() {
        #expect(decision(cfp("plumbing", entities: [])) == .policy(.refuse(.notCapable)))
    }
}

/// The new wire fields: names, numbers and their mapping to engine events.
@Suite struct NotActionableWireTests {
    let ref = WireAuctionRef.with { $0.incident = 42; $0.round = 3 }

    @Test func refusalReasonMapsBothWays() {
        #expect(WireMapping.refusal(.notActionable) == WireRefuseReason.notActionable)
        #expect(WireMapping.refusal(WireRefuseReason.notActionable) == .notActionable)
        #expect(WireRefuseReason.notActionable.rawValue == 4)
        for reason in [RefusalReason.atCapacity, .notCapable, .declined, .notActionable] {
            #expect(WireMapping.refusal(WireMapping.refusal(reason)) == reason)
        }
    }

    @Test func refuseWithDetailRoundTripsThroughBytes() throws {
        var refuse = WireRefuse()
        refuse.ref = ref
        refuse.reason = .notActionable
        refuse.detail = "contain-brute-force needs entity `user`"
        let bytes: [UInt8] = try WireEnvelope.with { $0.refuse = refuse }.serializedBytes()
        let decoded = try WireEnvelope(serializedBytes: bytes)
        #expect(decoded.refuse == refuse)
        // As a client written from PROTOCOL.md encodes it: reason = 4 (field 2), detail in field 3.
        let handwritten: [UInt8] = [0x0A, 0x04, 0x08, 42, 0x10, 3, 0x10, 4, 0x1A, 0x03] + Array("why".utf8)
        let parsed = try WireRefuse(serializedBytes: handwritten)
        #expect(parsed.reason == .notActionable)
        #expect(parsed.detail == "why")
    }

    @Test func failureFlagRoundTripsThroughBytes() throws {
        var failure = WireFailure()
        failure.ref = ref
        failure.reason = "contain-brute-force needs entity `user`"
        failure.notActionable = true
        let bytes: [UInt8] = try WireEnvelope.with { $0.failure = failure }.serializedBytes()
        #expect(try WireEnvelope(serializedBytes: bytes).failure == failure)
        // Field 3, varint 1.
        let flag = try WireFailure(serializedBytes: [0x18, 0x01] as [UInt8])
        #expect(flag.notActionable)
        // Absent, it is false: an old client's failure stays an ordinary, retried one.
        #expect(try !WireFailure(serializedBytes: [0x12, 0x01, 0x78] as [UInt8]).notActionable)
    }

    @Test func notActionableRefusalBecomesTheEngineEventWithItsDetail() {
        var refuse = WireRefuse()
        refuse.ref = ref
        refuse.reason = .notActionable
        refuse.detail = "needs entity `user`"
        guard case .notActionable(let eventRef, let from, let detail) = WireMapping.event(for: refuse, from: SpecialistID(5)) else {
            Issue.record("expected .notActionable")
            return
        }
        #expect(eventRef == AuctionRef(incident: IncidentID(42), round: 3))
        #expect(from == SpecialistID(5))
        #expect(detail == "needs entity `user`")
        refuse.reason = .atCapacity
        guard case .refusal(_, _, .atCapacity) = WireMapping.event(for: refuse, from: SpecialistID(5)) else {
            Issue.record("an ordinary refusal must stay a refusal")
            return
        }
    }

    @Test func notActionableFailureBecomesTheEngineEventAndAnOrdinaryOneStaysAFailure() {
        var failure = WireFailure()
        failure.ref = ref
        failure.reason = "needs entity `user`"
        guard case .outcome(_, _, .failure) = WireMapping.event(for: failure, from: SpecialistID(5)) else {
            Issue.record("an ordinary failure must stay a failure")
            return
        }
        failure.notActionable = true
        guard case .notActionable(_, _, let detail) = WireMapping.event(for: failure, from: SpecialistID(5)) else {
            Issue.record("expected .notActionable")
            return
        }
        #expect(detail == "needs entity `user`")
    }
}
