import Testing
@testable import TenderCore

/// After the award: outcomes, silent winners, re-announcement, escalation, cancellation, departures.
@Suite struct ContractNetLifecycleTests {
    /// Open incident 1 and award it to specialist 0.
    func awarded(_ pool: [SpecialistInfo] = [specialist(0), specialist(1)], config: EngineConfig = EngineConfig()) -> EngineHarness {
        var h = EngineHarness(config: config, specialists: pool)
        h.send(.incidentArrived(ticket(1)))
        for info in pool { h.send(.proposal(ref(1), from: info.id, Bid(eta: 10 + Double(info.id.index)))) }
        return h
    }

    @Test func informDoneResolvesAndFreesTheSlot() {
        var h = awarded()
        #expect(h.engine.specialists.load(SpecialistID(0)) == 1)
        let done = h.send(.outcome(ref(1), from: SpecialistID(0), .result))
        #expect(done.conclusions.map(\.1) == [.resolved(by: SpecialistID(0))])
        #expect(h.engine.specialists.load(SpecialistID(0)) == 0)
        #expect(h.engine.openAuctions == 0)
    }

    @Test func aFailedWinnerIsReannouncedAfterBackoff() {
        var h = awarded()
        let failed = h.send(.outcome(ref(1), from: SpecialistID(0), .failure))
        #expect(failed.retries.map(\.2) == [.winnerFailed])
        #expect(failed.cfpRecipients.isEmpty, "re-announcement waits for the backoff")
        let retry = h.advance(by: EngineConfig().retryBackoff)
        #expect(retry.cfpRefs.allSatisfy { $0 == ref(1, round: 2) })
        #expect(retry.cfpRecipients.count == 2)
    }

    @Test func aSilentWinnerCountsAsFailedAtItsCommitmentDeadline() {
        var h = awarded()
        guard let commitBy = h.log.awards.first?.commitBy else { Issue.record("no award"); return }
        #expect(commitBy == Instant(seconds: 3 * 10 + 5), "commitSlack × ETA + grace")
        #expect(h.advance(by: 34).retries.isEmpty)
        let silent = h.advance(by: 1.5)
        #expect(silent.cancels == [SpecialistID(0)], "the silent winner is told to stop")
        #expect(silent.retries.map(\.2) == [.winnerSilent])
        #expect(h.engine.specialists.load(SpecialistID(0)) == 0)
        // Its outcome, should it ever arrive, changes nothing.
        let stale = h.send(.outcome(ref(1), from: SpecialistID(0), .done))
        #expect(stale.ignored == [.stale])
        #expect(stale.conclusions.isEmpty)
    }

    @Test func anOutcomeFromSomeoneElseIsIgnored() {
        var h = awarded()
        #expect(h.send(.outcome(ref(1), from: SpecialistID(1), .done)).ignored == [.notWinner])
    }

    @Test func noBidsMeansAskingAgainWithGrowingDelaysWithoutBurningAttempts() {
        var config = EngineConfig()
        config.maxAttempts = 2
        config.retryBackoff = 1
        var h = EngineHarness(config: config, specialists: [specialist(0)])
        h.send(.incidentArrived(ticket(1)))
        for round in 1...4 as ClosedRange<UInt32> {
            let refused = h.send(.refusal(ref(1, round: round), from: SpecialistID(0), .declined))
            #expect(refused.retries.isEmpty, "a decline is not a failed attempt")
            #expect(refused.conclusions.isEmpty)
            let delay = Double(1 << (round - 1))
            #expect(h.advance(by: delay - 0.01).cfpRefs.isEmpty, "not before the delay (\(delay)s)")
            #expect(h.advance(by: 0.01).cfpRefs == [ref(1, round: round + 1)])
        }
        #expect(h.engine.openAuctions == 1, "more declines than maxAttempts, and still waiting")
    }

    @Test func backoffDoublesAndIsCapped() {
        var config = EngineConfig()
        config.retryBackoff = 1
        config.maxRetryBackoff = 5
        #expect((1...5).map { config.backoff(afterAttempt: $0) } == [1, 2, 4, 5, 5])
    }

    @Test func cancelWhileAnnouncingTellsTheOpenParticipants() {
        var h = EngineHarness(specialists: [specialist(0), specialist(1), specialist(2)])
        h.send(.incidentArrived(ticket(1)))
        h.send(.proposal(ref(1), from: SpecialistID(0), Bid(eta: 5)))
        h.send(.refusal(ref(1), from: SpecialistID(1), .declined))
        let cancelled = h.send(.cancel(IncidentID(1)))
        #expect(cancelled.cancels == [SpecialistID(0), SpecialistID(2)], "not the one that already refused")
        #expect(cancelled.conclusions.map(\.1) == [.cancelled])
        #expect(h.send(.proposal(ref(1), from: SpecialistID(2), Bid(eta: 1))).rejections.map(\.1) == [.late])
        #expect(h.advance(by: 10).isEmpty, "its deadline timer is stale")
    }

    @Test func cancelAfterTheAwardStopsTheWinnerAndFreesItsSlot() {
        var h = awarded()
        let cancelled = h.send(.cancel(IncidentID(1)))
        #expect(cancelled.cancels == [SpecialistID(0)])
        #expect(h.engine.specialists.load(SpecialistID(0)) == 0)
        #expect(h.advance(by: 1000).conclusions.isEmpty, "the commitment timer is stale")
    }

    @Test func cancelDuringBackoffAndInTheBacklog() {
        var h = awarded()
        h.send(.outcome(ref(1), from: SpecialistID(0), .failure))
        #expect(h.send(.cancel(IncidentID(1))).conclusions.map(\.1) == [.cancelled])
        #expect(h.advance(by: 100).cfpRecipients.isEmpty)

        var b = EngineHarness(specialists: [specialist(0, capacity: 1)])
        b.send(.incidentArrived(ticket(1)))
        b.send(.proposal(ref(1), from: SpecialistID(0), Bid(eta: 5)))
        #expect(b.send(.incidentArrived(ticket(2))).backlogged == [IncidentID(2)])
        b.send(.cancel(IncidentID(2)))
        let freed = b.send(.outcome(ref(1), from: SpecialistID(0), .done))
        #expect(freed.cfpRecipients.isEmpty, "a cancelled backlog entry is never announced")
        #expect(b.engine.openAuctions == 0)
    }

    @Test func cancellingAnUnknownIncidentDoesNothing() {
        var h = EngineHarness(specialists: [specialist(0)])
        #expect(h.send(.cancel(IncidentID(99))).isEmpty)
    }

    @Test func aDepartedWinnersTaskIsReauctioned() {
        var h = awarded()
        let left = h.send(.specialistLeft(SpecialistID(0)))
        #expect(left.retries.map(\.2) == [.winnerLeft])
        let retry = h.advance(by: 1)
        #expect(retry.cfpRecipients == [SpecialistID(1)])
    }

    @Test func aDepartedInviteeCountsAsARefusalSoTheRoundStillClosesEarly() {
        var h = EngineHarness(specialists: [specialist(0), specialist(1)])
        h.send(.incidentArrived(ticket(1)))
        h.send(.proposal(ref(1), from: SpecialistID(1), Bid(eta: 8)))
        let left = h.send(.specialistLeft(SpecialistID(0)))
        #expect(left.accepted == [SpecialistID(1)])
    }

    @Test func capacityRefusalsWaitInTheBacklogUntilASlotFrees() {
        var h = EngineHarness(specialists: [specialist(0, capacity: 1)])
        h.send(.incidentArrived(ticket(1)))
        h.send(.proposal(ref(1), from: SpecialistID(0), Bid(eta: 5)))
        let queued = h.send(.incidentArrived(ticket(2)))
        #expect(queued.cfpRecipients.isEmpty, "no slot is free, so nobody is called")
        #expect(queued.backlogged == [IncidentID(2)])
        let freed = h.send(.outcome(ref(1), from: SpecialistID(0), .done))
        #expect(freed.cfpRefs == [ref(2)])
    }

    @Test func allRefusingForCapacitySendsTheIncidentToTheBacklog() {
        var h = EngineHarness(specialists: [specialist(0), specialist(1)])
        h.send(.incidentArrived(ticket(1)))
        h.send(.refusal(ref(1), from: SpecialistID(0), .atCapacity))
        let refused = h.send(.refusal(ref(1), from: SpecialistID(1), .atCapacity))
        #expect(refused.backlogged == [IncidentID(1)])
        #expect(refused.retries.isEmpty, "capacity is not a failed attempt")
        // By the engine's count both are free, so it looks again rather than strand the incident.
        #expect(h.advance(by: 1).cfpRefs.allSatisfy { $0 == ref(1, round: 2) })
    }

    /// A load-shedding specialist refuses "at capacity" although the engine counts free slots.
    /// It holds Tender tasks, so their outcomes will wake the backlog: the engine waits for one
    /// instead of calling the same specialist again and again.
    @Test func aSpecialistSheddingLoadIsNotCalledAgainAndAgain() {
        var h = EngineHarness(specialists: [specialist(0, capacity: 4)])
        h.send(.incidentArrived(ticket(1)))
        h.send(.proposal(ref(1), from: SpecialistID(0), Bid(eta: 50)))
        h.send(.incidentArrived(ticket(2)))
        let first = h.send(.refusal(ref(2), from: SpecialistID(0), .atCapacity))
        #expect(first.backlogged == [IncidentID(2)])
        #expect(first.cfpRefs.isEmpty, "not called again at once")
        #expect(h.advance(by: 150).cfpRefs.isEmpty, "it waits for an outcome, however long")
        let freed = h.send(.outcome(ref(1), from: SpecialistID(0), .done))
        #expect(freed.cfpRefs == [ref(2, round: 2)], "an outcome frees a slot and calls again")
        #expect(h.send(.proposal(ref(2, round: 2), from: SpecialistID(0), Bid(eta: 5))).accepted == [SpecialistID(0)])
        #expect(h.log.retries.isEmpty, "refusals for capacity are never failed attempts")
    }

    @Test func aJoiningSpecialistDrainsTheBacklog() {
        var h = EngineHarness(specialists: [specialist(0, capacity: 1)])
        h.send(.incidentArrived(ticket(1)))
        h.send(.proposal(ref(1), from: SpecialistID(0), Bid(eta: 5)))
        h.send(.incidentArrived(ticket(2)))
        h.send(.incidentArrived(ticket(3)))
        let joined = h.send(.specialistJoined(specialist(1, capacity: 2)))
        #expect(Set(joined.announcedIncidents) == [IncidentID(2), IncidentID(3)])
    }
}
