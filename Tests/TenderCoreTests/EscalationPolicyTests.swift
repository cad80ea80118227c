import Testing
@testable import TenderCore

/// The escalation policy: humans are paged for no capable specialist over `noCapableTimeout`, an
/// SLA at risk, `maxAttempts` real failures, or an incident that cannot be acted on; and for
/// nothing else. Busy specialists and an empty pool mean waiting.
@Suite struct EscalationPolicyTests {
    func escalations(_ actions: [EngineAction]) -> [Escalation] {
        actions.conclusions.compactMap { if case .escalated(let escalation) = $0.1 { escalation } else { nil } }
    }

    @Test func withNobodyConnectedAnIncidentWaitsAndAJoiningSpecialistTakesIt() {
        var h = EngineHarness(specialists: [])
        let arrived = h.send(.incidentArrived(ticket(1)))
        #expect(arrived.backlogged == [IncidentID(1)])
        #expect(h.advance(by: 120).conclusions.isEmpty, "no page while the pool is (re)starting")
        let joined = h.send(.specialistJoined(specialist(0)))
        #expect(joined.cfpRefs == [ref(1)])
        #expect(h.send(.proposal(ref(1), from: SpecialistID(0), Bid(eta: 5))).accepted == [SpecialistID(0)])
        #expect(h.advance(by: 10).conclusions.isEmpty)
        #expect(h.send(.outcome(ref(1), from: SpecialistID(0), .done)).conclusions.map(\.1) == [.resolved(by: SpecialistID(0))])
        #expect(h.advance(by: 1000).isEmpty, "the no-capable timer armed while waiting is stale")
    }

    @Test func withNobodyCapableForTheTimeoutItEscalatesNamingTheReason() {
        var config = EngineConfig()
        config.noCapableTimeout = 300
        var h = EngineHarness(config: config, specialists: [specialist(0, .database)])
        h.send(.incidentArrived(ticket(1, .security, .low)))
        #expect(h.advance(by: 299.9).conclusions.isEmpty)
        let late = h.advance(by: 0.1)
        #expect(escalations(late).map(\.reason) == [.noCapableSpecialist])
        #expect(escalations(late).first?.attempts == 0)
        #expect(escalations(late).first?.capablePresent == false, "nobody capable was connected")
        #expect(h.log.cfpRecipients.isEmpty)
        #expect(h.engine.openAuctions == 0)
    }

    @Test func whenTheLastCapableSpecialistLeavesTheClockStarts() {
        var config = EngineConfig()
        config.noCapableTimeout = 60
        var h = EngineHarness(config: config, specialists: [specialist(0, capacity: 1)])
        h.send(.incidentArrived(ticket(1, .security, .low)))
        h.send(.proposal(ref(1), from: SpecialistID(0), Bid(eta: 500)))
        h.send(.incidentArrived(ticket(2, .security, .low)))
        h.send(.specialistLeft(SpecialistID(0)))
        #expect(h.log.retries.map(\.2) == [.winnerLeft])
        #expect(h.advance(by: 59.9).conclusions.isEmpty)
        let timedOut = h.advance(by: 1)
        #expect(escalations(timedOut).map(\.reason) == [.noCapableSpecialist, .noCapableSpecialist])
        #expect(h.engine.openAuctions == 0, "both the backlogged and the orphaned incident are handed over")
    }

    /// Incidents that arrived while nobody was present, and that a joining specialist's free
    /// slots did not take, now wait for capacity: a capable specialist is there and none has
    /// declined them, so nobody is paged. Before, the clock kept running and they escalated
    /// "no capable specialist willing to bid". If the category empties again, it starts afresh.
    @Test func aJoiningCapableSpecialistStopsTheClockOfTheIncidentsItCannotTakeYet() {
        var config = EngineConfig()
        config.noCapableTimeout = 300
        var h = EngineHarness(config: config, specialists: [])
        h.send(.incidentArrived(ticket(1, .security, .low)))
        h.send(.incidentArrived(ticket(2, .security, .low)))
        h.advance(by: 100)
        let joined = h.send(.specialistJoined(specialist(0, capacity: 1)))
        #expect(joined.cfpRefs == [ref(1)], "one free slot, one incident taken")
        h.send(.proposal(ref(1), from: SpecialistID(0), Bid(eta: 5000)))
        #expect(h.advance(by: 400).conclusions.isEmpty, "incident 2 waits for the busy specialist")
        h.send(.specialistLeft(SpecialistID(0)))
        #expect(h.advance(by: 299).conclusions.isEmpty, "the clock restarted when the category emptied")
        let late = h.advance(by: 2)
        #expect(escalations(late).map(\.reason) == [.noCapableSpecialist, .noCapableSpecialist])
        #expect(escalations(late).allSatisfy { $0.capablePresent == false && !$0.detail.contains("willing") })
    }

    @Test func aJoiningSpecialistOfAnotherCategoryLeavesTheClockRunning() {
        var config = EngineConfig()
        config.noCapableTimeout = 300
        var h = EngineHarness(config: config, specialists: [])
        h.send(.incidentArrived(ticket(1, .security, .low)))
        h.advance(by: 100)
        h.send(.specialistJoined(specialist(0, .database)))
        #expect(h.advance(by: 199).conclusions.isEmpty)
        #expect(escalations(h.advance(by: 2)).map(\.reason) == [.noCapableSpecialist])
    }

    /// A third-party specialist busy with outside work refuses AT_CAPACITY while holding no Tender
    /// task. Before, each refusal burned an attempt and the incident escalated within seconds.
    @Test func anOutsideBusySpecialistIsAskedAgainWithBackoffAndNeverBurnsAttempts() {
        var config = EngineConfig()
        config.maxAttempts = 2
        config.retryBackoff = 1
        config.maxRecheckInterval = 8
        var h = EngineHarness(config: config, specialists: [specialist(0)])
        h.send(.incidentArrived(ticket(1, .security, .low)))
        var looks: [Double] = []
        for round in 1...8 as ClosedRange<UInt32> {
            let refused = h.send(.refusal(ref(1, round: round), from: SpecialistID(0), .atCapacity))
            #expect(refused.backlogged == [IncidentID(1)])
            let before = h.clock.now
            var next: [EngineAction] = []
            while next.cfpRefs.isEmpty { next = h.advance(by: 0.25) }
            looks.append(h.clock.now - before)
            #expect(next.cfpRefs == [ref(1, round: round + 1)])
        }
        #expect(looks == [1, 2, 4, 8, 8, 8, 8, 8], "doubling, capped at maxRecheckInterval")
        #expect(h.log.retries.isEmpty)
        #expect(h.log.conclusions.isEmpty)
        #expect(h.send(.proposal(ref(1, round: 9), from: SpecialistID(0), Bid(eta: 5))).accepted == [SpecialistID(0)])
    }

    @Test func anIncidentStillWaitingWhenItsSLAIsAtRiskEscalates() {
        var config = EngineConfig()
        config.slaRiskFraction = 0.9
        var h = EngineHarness(config: config, specialists: [specialist(0, capacity: 1)])
        h.send(.incidentArrived(ticket(1, .security, .critical)))
        h.send(.proposal(ref(1), from: SpecialistID(0), Bid(eta: 5000)))
        h.send(.incidentArrived(ticket(2, .security, .critical)))
        // Critical: 15 minutes; 90% of that is 810 s.
        #expect(h.advance(by: 809).conclusions.isEmpty)
        let atRisk = h.advance(by: 1)
        #expect(escalations(atRisk).map(\.reason) == [.slaAtRisk])
        #expect(atRisk.conclusions.map(\.0) == [IncidentID(2)], "the incident being worked on is not escalated")
    }

    @Test func theSLARuleCanBeTurnedOff() {
        var config = EngineConfig()
        config.slaRiskFraction = nil
        var h = EngineHarness(config: config, specialists: [specialist(0, capacity: 1)])
        h.send(.incidentArrived(ticket(1, .security, .critical)))
        h.send(.proposal(ref(1), from: SpecialistID(0), Bid(eta: 5000)))
        h.send(.incidentArrived(ticket(2, .security, .critical)))
        #expect(h.advance(by: 3000).conclusions.isEmpty)
        #expect(h.send(.outcome(ref(1), from: SpecialistID(0), .done)).cfpRefs == [ref(2)])
    }

    @Test func aRetryPastTheSLARiskPointEscalatesInsteadOfWaiting() {
        var h = EngineHarness(specialists: [specialist(0)])
        h.send(.incidentArrived(ticket(1, .security, .critical)))
        h.send(.proposal(ref(1), from: SpecialistID(0), Bid(eta: 400)))
        #expect(h.advance(by: 820).conclusions.isEmpty, "being worked on is not waiting")
        let failed = h.send(.outcome(ref(1), from: SpecialistID(0), .failure))
        #expect(escalations(failed).map(\.reason) == [.slaAtRisk])
        #expect(escalations(failed).first?.lastSetback == .winnerFailed)
    }

    @Test func realFailuresExhaustTheAttempts() {
        var config = EngineConfig()
        config.maxAttempts = 3
        var h = EngineHarness(config: config, specialists: [specialist(0), specialist(1)])
        h.send(.incidentArrived(ticket(1, .security, .low)))
        h.send(.proposal(ref(1), from: SpecialistID(0), Bid(eta: 5)))
        h.send(.proposal(ref(1), from: SpecialistID(1), Bid(eta: 6)))
        h.send(.outcome(ref(1), from: SpecialistID(0), .failure))               // 1: failure report
        h.advance(by: 0.5)
        h.send(.proposal(ref(1, round: 2), from: SpecialistID(0), Bid(eta: 5)))
        h.send(.refusal(ref(1, round: 2), from: SpecialistID(1), .declined))
        h.advance(by: 3 * 5 + 5)                                                  // 2: silent winner
        h.advance(by: 1)
        #expect(h.log.retries.map(\.2) == [.winnerFailed, .winnerSilent])
        h.send(.proposal(ref(1, round: 3), from: SpecialistID(1), Bid(eta: 5)))
        h.send(.refusal(ref(1, round: 3), from: SpecialistID(0), .atCapacity))
        let left = h.send(.specialistLeft(SpecialistID(1)))                       // 3: winner left
        let escalation = escalations(left).first
        #expect(escalation?.reason == .attemptsExhausted)
        #expect(escalation?.attempts == 3)
        #expect(escalation?.lastSetback == .winnerLeft)
    }

    /// A security/high incident without `user`: every capable specialist says so, and the incident
    /// is escalated after that one round. Before, it was awarded and failed 4 times.
    @Test func anIncidentEveryCapableSpecialistFindsNotActionableEscalatesAtOnce() {
        var h = EngineHarness(specialists: [specialist(0), specialist(1), specialist(2, .database)])
        h.send(.incidentArrived(ticket(1, .security, .high)))
        #expect(h.log.cfpRecipients == [SpecialistID(0), SpecialistID(1)])
        h.send(.notActionable(ref(1), from: SpecialistID(0), detail: "contain-brute-force needs entity `user`"))
        let last = h.send(.notActionable(ref(1), from: SpecialistID(1), detail: "contain-brute-force needs entity `user`"))
        let escalation = escalations(last).first
        #expect(escalation?.reason == .notActionable)
        #expect(escalation?.detail == "contain-brute-force needs entity `user`")
        #expect(escalation?.attempts == 0)
        #expect(h.log.cfpRefs.count == 2, "caught in one round, not retried")
    }

    @Test func notActionableNextToABusySpecialistWaitsForIt() {
        var h = EngineHarness(specialists: [specialist(0), specialist(1)])
        h.send(.incidentArrived(ticket(1)))
        h.send(.notActionable(ref(1), from: SpecialistID(0), detail: "needs user"))
        let busy = h.send(.refusal(ref(1), from: SpecialistID(1), .atCapacity))
        #expect(busy.conclusions.isEmpty, "the busy one may have a playbook that fits")
        #expect(busy.backlogged == [IncidentID(1)])
    }

    @Test func aWinnerFindingTheIncidentNotActionableEscalatesItAtOnce() {
        var h = EngineHarness(specialists: [specialist(0), specialist(1)])
        h.send(.incidentArrived(ticket(1)))
        h.send(.proposal(ref(1), from: SpecialistID(0), Bid(eta: 5)))
        h.send(.proposal(ref(1), from: SpecialistID(1), Bid(eta: 9)))
        #expect(h.send(.notActionable(ref(1), from: SpecialistID(1), detail: "x")).ignored == [.notWinner])
        let failed = h.send(.notActionable(ref(1), from: SpecialistID(0), detail: "playbook needs `user`"))
        #expect(escalations(failed).map(\.reason) == [.notActionable])
        #expect(failed.retries.isEmpty)
        #expect(h.engine.specialists.load(SpecialistID(0)) == 0)
    }

    @Test func everyoneDecliningForTheTimeoutEscalatesAsNoCapableSpecialist() {
        var config = EngineConfig()
        config.noCapableTimeout = 30
        config.maxRecheckInterval = 4
        var h = EngineHarness(config: config, specialists: [specialist(0)])
        h.send(.incidentArrived(ticket(1, .security, .low)))
        var round: UInt32 = 1
        while h.engine.openAuctions > 0 {
            h.send(.refusal(ref(1, round: round), from: SpecialistID(0), .declined))
            round += 1
            h.advance(by: 4)
        }
        let escalation = escalations(h.log).first
        #expect(escalation?.reason == .noCapableSpecialist)
        #expect(escalation?.capablePresent == true, "a capable specialist was there and declined")
        #expect(escalation?.attempts == 0)
        #expect(h.log.retries.isEmpty)
        #expect(h.clock.now.seconds >= 30)
    }
}
