import Testing
@testable import TenderCore

/// Awards weigh past performance: calibration corrects optimistic bids, failures cost their
/// expected price, newcomers start from the prior, and the record survives as a value.
@Suite struct ReputationTests {
    /// Award incident `id` to `winner` among `bids`, then have it delivered after `delivered` s.
    func run(_ h: inout EngineHarness, _ id: UInt64, bids: [(Int, Double)], delivered: Double, fails: Bool = false) -> Award? {
        run(&h, id, bids: bids, delivered: { _ in delivered }, fails: fails)
    }

    func run(_ h: inout EngineHarness, _ id: UInt64, bids: [(Int, Double)], delivered: (SpecialistID) -> Double, fails: Bool = false) -> Award? {
        h.send(.incidentArrived(ticket(id, .security, .low, at: h.clock.now.seconds)))
        for (who, eta) in bids { h.send(.proposal(ref(id), from: SpecialistID(who), Bid(eta: eta))) }
        guard let award = h.log.awards.last(where: { $0.ref.incident == IncidentID(id) }) else { return nil }
        h.advance(by: delivered(award.winner))
        h.send(.outcome(award.ref, from: award.winner, fails ? .failure : .done))
        return award
    }

    @Test func anOptimistWhoDeliversLateLosesToAnHonestPeer() {
        var h = EngineHarness(specialists: [specialist(0), specialist(1)])
        // Specialist 0 promises 30 s and takes 80; specialist 1 promises 60 and keeps its word.
        let truth: (SpecialistID) -> Double = { $0 == SpecialistID(0) ? 80 : 60 }
        var winners: [SpecialistID] = []
        for id in 1...20 as ClosedRange<UInt64> {
            winners.append(run(&h, id, bids: [(0, 30), (1, 60)], delivered: truth)?.winner ?? SpecialistID(99))
        }
        #expect(winners.first == SpecialistID(0), "a newcomer's promise is believed at first")
        #expect(winners.prefix(8).allSatisfy { $0 == SpecialistID(0) })
        #expect(winners.suffix(3).allSatisfy { $0 == SpecialistID(1) }, "then its 30 s counts as about 80: \(winners)")
        #expect((h.engine.trackRecord.entry("security-0", .security)?.calibration ?? 0) > 1.8)
        #expect(abs((h.engine.trackRecord.entry("security-1", .security)?.calibration ?? 0) - 1) < 1e-9)
    }

    @Test func theAwardCarriesTheRawBidTheCorrectionAndTheScore() {
        var h = EngineHarness(specialists: [specialist(0)])
        _ = run(&h, 1, bids: [(0, 10)], delivered: 20)
        let award = run(&h, 2, bids: [(0, 10)], delivered: 1)
        #expect(award?.bid?.eta == 10)
        #expect(award?.correction == 1, "one late delivery stays inside the dead band")
        #expect(award?.score == 10)
        for id in 3...10 as ClosedRange<UInt64> { _ = run(&h, id, bids: [(0, 10)], delivered: 25) }
        // One failure is noise (inside the failure dead band); three in a row are not.
        _ = run(&h, 11, bids: [(0, 10)], delivered: 1, fails: true)
        h.advance(by: 0.5)
        h.send(.proposal(ref(11, round: 2), from: SpecialistID(0), Bid(eta: 10)))
        #expect(h.log.awards.last?.ref == ref(11, round: 2))
        #expect(h.log.awards.last?.expectedFailureCost == 0, "one failure stays inside the dead band")
        h.advance(by: 1)
        h.send(.outcome(ref(11, round: 2), from: SpecialistID(0), .failure))
        _ = run(&h, 12, bids: [(0, 10)], delivered: 1, fails: true)
        h.advance(by: 0.5)
        h.send(.proposal(ref(12, round: 2), from: SpecialistID(0), Bid(eta: 10)))
        guard let late = h.log.awards.last, late.ref == ref(12, round: 2) else { Issue.record("no award: \(h.log)"); return }
        #expect((h.engine.trackRecord.entry("security-0", .security)?.failureRate ?? 0) > 0.25)
        #expect(late.bid?.eta == 10)
        #expect(late.correction > 1.25)
        #expect(late.expectedFailureCost > 0, "failures beyond the dead band above the prior cost")
        #expect(abs(late.score - (10 * late.correction + late.expectedFailureCost)) < 1e-9)
    }

    @Test func aSpecialistThatFailsOftenLosesEqualBids() {
        var h = EngineHarness(specialists: [specialist(0), specialist(1)])
        #expect(run(&h, 1, bids: [(0, 10), (1, 10)], delivered: 1, fails: true)?.winner == SpecialistID(0))
        // Its retry goes to the untarnished peer at an equal bid.
        h.advance(by: 0.5)
        h.send(.proposal(ref(1, round: 2), from: SpecialistID(0), Bid(eta: 10)))
        h.send(.proposal(ref(1, round: 2), from: SpecialistID(1), Bid(eta: 10)))
        #expect(h.log.awards.map(\.winner) == [SpecialistID(0), SpecialistID(1)], "\(h.log)")
    }

    /// A record changes only when its owner wins, so a penalty for noise would never heal: one
    /// unlucky failure must not starve a specialist whose identical peers bid the same.
    @Test func oneUnluckyFailureDoesNotStarveAnIdenticalPeer() {
        var h = EngineHarness(specialists: [specialist(0), specialist(1), specialist(2)])
        var failed = false
        for id in 1...60 as ClosedRange<UInt64> {
            h.send(.incidentArrived(ticket(id, .security, .low, at: h.clock.now.seconds)))
            for who in 0..<3 { h.send(.proposal(ref(id), from: SpecialistID(who), Bid(eta: 10))) }
            guard let award = h.log.awards.last, award.ref == ref(id) else { Issue.record("no award for \(id)"); return }
            h.advance(by: 10)
            // Specialist 0's first task fails; everything else is delivered.
            let fails = award.winner == SpecialistID(0) && !failed
            failed = failed || fails
            h.send(.outcome(award.ref, from: award.winner, fails ? .failure : .done))
        }
        let first = h.log.awards.filter { $0.ref.round == 1 }
        let counts = (0..<3).map { who in first.filter { $0.winner == SpecialistID(who) }.count }
        #expect(failed)
        #expect(counts.allSatisfy { $0 >= 18 }, "awards per specialist: \(counts)")
    }

    @Test func newcomersStartFromThePriorAndTiesKeepTheFairnessOrder() {
        var h = EngineHarness(specialists: [specialist(0), specialist(1)])
        let first = run(&h, 1, bids: [(0, 10), (1, 10)], delivered: 10)
        #expect(first?.winner == SpecialistID(0), "equal newcomers: the lower id, as without reputation")
        #expect(first?.correction == 1)
        #expect(run(&h, 2, bids: [(0, 10), (1, 10)], delivered: 10)?.winner == SpecialistID(1), "a good record is not an edge: turns are kept")
    }

    @Test func reputationOffScoresTheBidAlone() {
        var config = EngineConfig()
        config.reputation.enabled = false
        var h = EngineHarness(config: config, specialists: [specialist(0), specialist(1)])
        for id in 1...20 as ClosedRange<UInt64> { _ = run(&h, id, bids: [(0, 30), (1, 60)], delivered: 80) }
        let award = run(&h, 100, bids: [(0, 30), (1, 60)], delivered: 1)
        #expect(award?.winner == SpecialistID(0), "without reputation the optimist wins every time")
        #expect(award?.score == 30)
    }

    @Test func theRecordIsAValueThatSurvivesARestartAndFollowsTheName() {
        var h = EngineHarness(specialists: [specialist(0), specialist(1)])
        for id in 1...20 as ClosedRange<UInt64> { _ = run(&h, id, bids: [(0, 30), (1, 60)], delivered: { $0 == SpecialistID(0) ? 80 : 60 }) }
        let saved = h.engine.trackRecord
        var restarted = EngineHarness(specialists: [])
        restarted.engine.importTrackRecord(saved)
        // The optimist reconnects under another engine id; its record follows its name.
        restarted.send(.specialistJoined(SpecialistInfo(id: SpecialistID(5), name: "security-0", kind: .security, skills: specialist(0).skills, capacity: 2)))
        restarted.send(.specialistJoined(specialist(1)))
        let award = run(&restarted, 100, bids: [(5, 30), (1, 60)], delivered: 1)
        #expect(award?.winner == SpecialistID(1))
        #expect(restarted.engine.trackRecord == h.engine.trackRecord.merging(restarted.engine.trackRecord))
    }
}

extension TrackRecord {
    /// `self` with `other`'s entries for the names it has.
    func merging(_ other: TrackRecord) -> TrackRecord {
        TrackRecord(specialists: specialists.merging(other.specialists) { _, new in new })
    }
}
