import Testing
import TenderCore
@testable import TenderService
import TenderWire

/// The live CFP says how many specialists the round invited: the engine's own count, which the
/// simulator hands to the same observation (docs/PROTOCOL.md, `invited`). Driven through a real
/// coordinator in process (its loop never run, the store's writer drained by hand).
@Suite struct CFPInvitedTests {
    @Test func theCFPCarriesTheNumberOfSpecialistsInvited() throws {
        let running = try InProcessCoordinator()
        let (store, coordinator) = (running.store, running.coordinator)
        defer { store.close() }
        for id in 0..<3 { coordinator.handle(.specialistJoined(TrackRecordRestartTests.info(id))) }
        var network = PerCategory<Double>(repeating: 0)
        network[.network] = 0.9
        coordinator.handle(.specialistJoined(SpecialistInfo(id: SpecialistID(3), name: "network-0", kind: .network, skills: network, capacity: 2)))

        /// Submits an incident of `category` and returns the CFP of its first round.
        func cfp(_ category: IncidentCategory) throws -> WireCallForProposals? {
            var reply: IntakeReply?
            coordinator.submit(IncidentSubmission(category: category, severity: .medium, service: "api", region: "eu", entities: [.ip("203.0.113.7")])) { reply = $0 }
            store.writer.drain()
            guard case .accepted(let id, _, _) = try #require(reply) else { return nil }
            return coordinator.callForProposals(AuctionRef(incident: id, round: 1), replyBy: coordinator.now() + 1, now: coordinator.now())
        }
        let security = try #require(try cfp(.security))
        #expect(security.invited == 3, "the three security specialists, not the network one")
        let alone = try #require(try cfp(.network))
        #expect(alone.invited == 1, "the network specialist alone")
        // It survives the wire.
        var decoder = FrameDecoder()
        decoder.append(try FrameEncoder.frame(.with { $0.cfp = alone }))
        #expect(try decoder.next()?.cfp.invited == 1)
    }
}
