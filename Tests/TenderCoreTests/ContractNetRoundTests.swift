import Testing
@testable import TenderCore

/// One round of FIPA contract net: cfp, propose/refuse, evaluation, accept/reject.
@Suite struct ContractNetRoundTests {
    let pool = [specialist(0), specialist(1), specialist(2)]

    @Test func callsEveryCapableSpecialistWithAFreeSlot() {
        var h = EngineHarness(specialists: pool + [specialist(3, .database)])
        let actions = h.send(.incidentArrived(ticket(1)))
        #expect(actions.cfpRecipients == [SpecialistID(0), SpecialistID(1), SpecialistID(2)])
        #expect(h.armedTimers.contains(EngineTimer(.replyDeadline, ref(1))))
    }

    @Test func closesEarlyOnceEveryInviteeAnswered() {
        var h = EngineHarness(specialists: pool)
        h.send(.incidentArrived(ticket(1)))
        h.send(.proposal(ref(1), from: SpecialistID(0), Bid(eta: 30)))
        h.send(.refusal(ref(1), from: SpecialistID(1), .declined))
        let last = h.send(.proposal(ref(1), from: SpecialistID(2), Bid(eta: 20)))
        #expect(h.clock.now == .zero, "no time passed: the round closed without waiting for its deadline")
        #expect(last.accepted == [SpecialistID(2)])
        #expect(last.rejections.map(\.0) == [SpecialistID(0)])
        #expect(last.rejections.map(\.1) == [.outbid])
        #expect(h.engine.specialists.load(SpecialistID(2)) == 1)
    }

    @Test func waitsForTheDeadlineWhileSomeoneIsSilent() {
        var h = EngineHarness(specialists: pool)
        h.send(.incidentArrived(ticket(1)))
        h.send(.proposal(ref(1), from: SpecialistID(0), Bid(eta: 30)))
        h.send(.proposal(ref(1), from: SpecialistID(1), Bid(eta: 40)))
        #expect(h.log.awards.isEmpty)
        h.advance(by: 0.1)
        #expect(h.log.awards.isEmpty)
        let atDeadline = h.advance(by: 0.2)
        #expect(atDeadline.accepted == [SpecialistID(0)])
    }

    @Test func aProposalAfterTheDeadlineIsRejectedAsLate() {
        var h = EngineHarness(specialists: pool)
        h.send(.incidentArrived(ticket(1)))
        h.send(.proposal(ref(1), from: SpecialistID(0), Bid(eta: 30)))
        h.advance(by: 1)
        let late = h.send(.proposal(ref(1), from: SpecialistID(1), Bid(eta: 5)))
        #expect(late.rejections.count == 1)
        #expect(late.rejections.first?.0 == SpecialistID(1))
        #expect(late.rejections.first?.1 == .late)
        #expect(h.log.awards.map(\.winner) == [SpecialistID(0)], "a late bid never displaces the award")
    }

    @Test func aProposalForAConcludedIncidentIsLate() {
        var h = EngineHarness(specialists: [specialist(0)])
        h.send(.incidentArrived(ticket(1)))
        h.send(.proposal(ref(1), from: SpecialistID(0), Bid(eta: 3)))
        h.send(.outcome(ref(1), from: SpecialistID(0), .done))
        let late = h.send(.proposal(ref(1), from: SpecialistID(0), Bid(eta: 3)))
        #expect(late.rejections.map(\.1) == [.late])
    }

    @Test func uninvitedAndDuplicateProposalsAreRejected() {
        var h = EngineHarness(specialists: pool + [specialist(3, .database)])
        h.send(.incidentArrived(ticket(1)))
        #expect(h.send(.proposal(ref(1), from: SpecialistID(3), Bid(eta: 1))).rejections.map(\.1) == [.notInvited])
        h.send(.proposal(ref(1), from: SpecialistID(0), Bid(eta: 9)))
        #expect(h.send(.proposal(ref(1), from: SpecialistID(0), Bid(eta: 1))).rejections.map(\.1) == [.duplicate])
    }

    @Test func fullTiesGoToTheLowerSpecialistIDWhateverTheAnswerOrder() {
        for order in [[2, 0, 1], [1, 2, 0], [0, 1, 2]] {
            var h = EngineHarness(specialists: pool)
            h.send(.incidentArrived(ticket(1)))
            for id in order { h.send(.proposal(ref(1), from: SpecialistID(id), Bid(eta: 10))) }
            #expect(h.log.accepted == [SpecialistID(0)], "answer order \(order)")
        }
    }

    @Test func equalBidsGoToTheLessLoadedSpecialist() {
        var h = EngineHarness(specialists: pool)
        h.send(.incidentArrived(ticket(1)))
        for id in 0..<3 { h.send(.proposal(ref(1), from: SpecialistID(id), Bid(eta: 10))) }
        #expect(h.log.accepted == [SpecialistID(0)])
        // Specialist 0 now holds a task; the same bids again go to an idle specialist.
        h.send(.incidentArrived(ticket(2)))
        for id in 0..<3 { h.send(.proposal(ref(2), from: SpecialistID(id), Bid(eta: 10))) }
        #expect(h.log.accepted == [SpecialistID(0), SpecialistID(1)])
    }

    @Test func identicalIdleSpecialistsTakeTurnsOnEqualBids() {
        var h = EngineHarness(specialists: pool)
        for id in UInt64(1)...6 {
            h.send(.incidentArrived(ticket(id)))
            for bidder in 0..<3 { h.send(.proposal(ref(id), from: SpecialistID(bidder), Bid(eta: 10))) }
            // Each task finishes before the next arrives, so every auction starts all idle.
            let winner = h.log.accepted.last!
            h.send(.outcome(ref(id), from: winner, .done))
        }
        #expect(h.log.accepted.map(\.index) == [0, 1, 2, 0, 1, 2], "the least-awarded wins a tie, not always the lowest id")
    }

    @Test func recordsTheVickreySecondPrice() {
        var h = EngineHarness(specialists: pool)
        h.send(.incidentArrived(ticket(1)))
        h.send(.proposal(ref(1), from: SpecialistID(0), Bid(eta: 50)))
        h.send(.proposal(ref(1), from: SpecialistID(1), Bid(eta: 20)))
        h.send(.proposal(ref(1), from: SpecialistID(2), Bid(eta: 35)))
        let award = h.log.awards.first
        #expect(award?.winner == SpecialistID(1))
        #expect(award?.score == 20)
        #expect(award?.secondPrice == 35)
        #expect(award?.proposals == 3)
    }

    @Test func aSoleBidderPaysItsOwnPrice() {
        var h = EngineHarness(specialists: [specialist(0)])
        h.send(.incidentArrived(ticket(1)))
        h.send(.proposal(ref(1), from: SpecialistID(0), Bid(eta: 12)))
        #expect(h.log.awards.first?.secondPrice == 12)
    }

    @Test func theDefaultRuleTakesTheEarliestCompletion() {
        var fastest = EngineHarness(specialists: [specialist(0, skill: 0.95), specialist(1, skill: 0.3)])
        fastest.send(.incidentArrived(ticket(1)))
        fastest.send(.proposal(ref(1), from: SpecialistID(0), Bid(eta: 30)))
        fastest.send(.proposal(ref(1), from: SpecialistID(1), Bid(eta: 20)))
        #expect(fastest.log.accepted == [SpecialistID(1)])
    }

    @Test func aBidderWithoutAFreeSlotIsPassedOver() {
        var h = EngineHarness(specialists: [specialist(0, capacity: 1), specialist(1, capacity: 1)])
        h.send(.incidentArrived(ticket(1)))
        h.send(.incidentArrived(ticket(2)))
        // Specialist 0 bids best on both; after winning the first it has no slot for the second.
        h.send(.proposal(ref(1), from: SpecialistID(0), Bid(eta: 5)))
        h.send(.proposal(ref(1), from: SpecialistID(1), Bid(eta: 9)))
        h.send(.proposal(ref(2), from: SpecialistID(0), Bid(eta: 5)))
        let second = h.send(.proposal(ref(2), from: SpecialistID(1), Bid(eta: 9)))
        #expect(second.accepted == [SpecialistID(1)])
        #expect(second.rejections.map(\.1) == [.noCapacity])
    }

    @Test func duplicateIncidentIDsAreNotTakenInTwice() {
        var h = EngineHarness(specialists: pool)
        h.send(.incidentArrived(ticket(1)))
        let again = h.send(.incidentArrived(ticket(1)))
        #expect(again.count == 1)
        guard case .duplicateIncident(let id) = again.first else { Issue.record("expected duplicateIncident"); return }
        #expect(id == IncidentID(1))
    }

    @Test func samplesAtMostDCandidatesReproducibly() {
        var config = EngineConfig()
        config.cfpSampleSize = 2
        let big = (0..<8).map { specialist($0) }
        var first = EngineHarness(config: config, specialists: big)
        var second = EngineHarness(config: config, specialists: big)
        for id in 1...20 as ClosedRange<UInt64> {
            let a = first.send(.incidentArrived(ticket(id))).cfpRecipients
            let b = second.send(.incidentArrived(ticket(id))).cfpRecipients
            #expect(a.count == 2)
            #expect(a == b)
            #expect(a == a.sorted())
        }
        #expect(Set(first.log.cfpRecipients).count > 2, "the sample moves around the pool")
    }
}
