import Testing
@testable import TenderCore

/// With `explainsAwards`, every award carries each proposal as it was scored and the rule that
/// decided; with `journalsChanges`, the engine hands out each track record entry it changed.
@Suite struct AwardExplanationTests {
    static var explaining: EngineConfig {
        var config = EngineConfig()
        config.explainsAwards = true
        config.reputation.journalsChanges = true
        return config
    }

    func auction(_ h: inout EngineHarness, _ id: UInt64, _ bids: [(Int, Double)]) -> Award? {
        h.send(.incidentArrived(ticket(id, .security, .low, at: h.clock.now.seconds)))
        for (who, eta) in bids { h.send(.proposal(ref(id), from: SpecialistID(who), Bid(eta: eta))) }
        return h.log.awards.last { $0.ref.incident == IncidentID(id) }
    }

    @Test func theLowestScoreWinsAndEveryBidIsExplained() throws {
        var h = EngineHarness(config: Self.explaining, specialists: [specialist(0), specialist(1), specialist(2)])
        let award = try #require(auction(&h, 1, [(0, 40), (1, 20), (2, 30)]))
        let explanation = try #require(award.explanation)
        #expect(award.winner == SpecialistID(1))
        #expect(explanation.decider == .lowestScore)
        #expect(explanation.runnerUp == SpecialistID(2))
        #expect(explanation.bids.map(\.specialist) == [SpecialistID(0), SpecialistID(1), SpecialistID(2)])
        #expect(explanation.bids.map(\.eta) == [40, 20, 30])
        #expect(explanation.bids.map(\.score) == [40, 20, 30], "newcomers: score = raw bid")
        #expect(explanation.bids.allSatisfy { $0.correction == 1 && $0.expectedFailureCost == 0 && $0.considered })
    }

    @Test func tiesNameTheRuleThatBrokeThem() throws {
        var h = EngineHarness(config: Self.explaining, specialists: [specialist(0), specialist(1)])
        #expect(auction(&h, 1, [(0, 10), (1, 10)])?.explanation?.decider == .lowerID, "nothing else differs")
        // Specialist 0 now holds one of its two slots: the equal bid goes to the lighter load.
        #expect(auction(&h, 2, [(0, 10), (1, 10)])?.explanation?.decider == .lessLoaded)
        #expect(h.log.awards.last?.winner == SpecialistID(1))
        h.send(.outcome(ref(1), from: SpecialistID(0), .done))
        h.send(.outcome(ref(2), from: SpecialistID(1), .done))
        // Both idle with one award each: back to the lower id; then fewer awards decides.
        #expect(auction(&h, 3, [(0, 10), (1, 10)])?.explanation?.decider == .lowerID)
        h.send(.outcome(ref(3), from: SpecialistID(0), .done))
        let fourth = auction(&h, 4, [(0, 10), (1, 10)])
        #expect(fourth?.winner == SpecialistID(1))
        #expect(fourth?.explanation?.decider == .fewerAwards)
        #expect(auction(&h, 5, [(0, 12), (1, 12)])?.explanation?.decider == .lessLoaded)
        var alone = EngineHarness(config: Self.explaining, specialists: [specialist(0)])
        #expect(auction(&alone, 1, [(0, 10)])?.explanation?.decider == .onlyBid)
    }

    @Test func aFailureCostOutweighsALowerBidAndIsShown() throws {
        var h = EngineHarness(config: Self.explaining, specialists: [specialist(0), specialist(1)])
        for id in 1...6 as ClosedRange<UInt64> {
            guard let award = auction(&h, id, [(0, 10), (1, 10)]) else { Issue.record("no award"); return }
            h.advance(by: 10)  // deliveries keep their promises: calibration stays 1
            h.send(.outcome(award.ref, from: award.winner, award.winner == SpecialistID(0) ? .failure : .done))
        }
        let award = try #require(auction(&h, 50, [(0, 9), (1, 10)]))
        let explanation = try #require(award.explanation)
        let unreliable = try #require(explanation.bids.first { $0.specialist == SpecialistID(0) })
        #expect(award.winner == SpecialistID(1), "its lower bid does not cover its failures")
        #expect(explanation.decider == .lowestScore)
        #expect(unreliable.expectedFailureCost > 1)
        #expect(abs(unreliable.score - (unreliable.eta * unreliable.correction + unreliable.expectedFailureCost)) < 1e-9)
    }

    @Test func withoutTheFlagAwardsCarryNoExplanation() {
        var h = EngineHarness(specialists: [specialist(0), specialist(1)])
        #expect(auction(&h, 1, [(0, 10), (1, 20)])?.explanation == nil)
        #expect(h.engine.takeTrackRecordChanges().isEmpty)
    }

    @Test func changedEntriesAreHandedOutOnce() throws {
        var h = EngineHarness(config: Self.explaining, specialists: [specialist(0), specialist(1)])
        #expect(h.engine.takeTrackRecordChanges().isEmpty, "joining changes no record")
        let award = try #require(auction(&h, 1, [(0, 10), (1, 20)]))
        h.advance(by: 10)
        h.send(.outcome(award.ref, from: award.winner, .failure))
        let changes = h.engine.takeTrackRecordChanges()
        #expect(changes.map(\.specialist) == ["security-0"])
        #expect(changes.first?.category == .security)
        #expect(changes.first?.entry == h.engine.trackRecord.entry("security-0", .security))
        #expect(changes.first?.entry.observations == 1)
        #expect(h.engine.takeTrackRecordChanges().isEmpty, "taken once")
    }
}

@Suite struct TrackRecordOverallTests {
    @Test func theOverallRecordWeighsCategoriesByObservationsAndIsNilWithout() throws {
        var h = EngineHarness(specialists: [specialist(0, .security, others: 0.9)])
        #expect(h.engine.trackRecordOverall("security-0") == nil, "joined, but no award has ended")
        #expect(h.engine.trackRecordOverall("nobody") == nil)
        for (id, category) in [(1, IncidentCategory.security), (2, .network), (3, .network)] as [(UInt64, IncidentCategory)] {
            h.send(.incidentArrived(ticket(id, category, .low, at: h.clock.now.seconds)))
            h.send(.proposal(ref(id), from: SpecialistID(0), Bid(eta: 10)))
            h.advance(by: id == 1 ? 20 : 10)
            h.send(.outcome(ref(id), from: SpecialistID(0), id == 3 ? .failure : .done))
        }
        let overall = try #require(h.engine.trackRecordOverall("security-0"))
        #expect(overall.observations == 3)
        #expect(overall == h.engine.trackRecord.overall("security-0"), "read in place, the same as from the exported value")
        let security = try #require(h.engine.trackRecord.entry("security-0", .security))
        let network = try #require(h.engine.trackRecord.entry("security-0", .network))
        #expect(abs(overall.calibration - (security.calibration + 2 * network.calibration) / 3) < 1e-12)
        #expect(abs(overall.successRate - (1 - (security.failureRate + 2 * network.failureRate) / 3)) < 1e-12)
    }
}
