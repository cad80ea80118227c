import Testing
@testable import TenderCore

/// Direct allocators decide who without an auction; the engine still owns everything else.
@Suite struct DirectAllocationTests {
    final class PickLast: DirectAllocator {
        var name: String { "pick-last" }
        var seen: [[SpecialistID]] = []
        func choose(for ticket: IncidentTicket, among candidates: [SpecialistID], in table: SpecialistTable) -> SpecialistID? {
            seen.append(candidates)
            return candidates.last
        }
    }

    @Test func assignsWithoutCallingForProposals() {
        let allocator = PickLast()
        var h = EngineHarness(mode: .direct(allocator), specialists: [specialist(0), specialist(1), specialist(2, .network)])
        let actions = h.send(.incidentArrived(ticket(1)))
        #expect(actions.cfpRecipients.isEmpty)
        #expect(actions.accepted == [SpecialistID(1)])
        #expect(allocator.seen == [[SpecialistID(0), SpecialistID(1)]], "only capable specialists are candidates")
        #expect(actions.awards.first?.bid == nil)
    }

    @Test func sharesTheBacklogAndRetriesWithContractNet() {
        var h = EngineHarness(mode: .direct(PickLast()), specialists: [specialist(0, capacity: 1)])
        h.send(.incidentArrived(ticket(1)))
        #expect(h.send(.incidentArrived(ticket(2))).backlogged == [IncidentID(2)])
        let failed = h.send(.outcome(ref(1), from: SpecialistID(0), .failure))
        #expect(failed.retries.map(\.0) == [IncidentID(1)])
        #expect(failed.accepted == [SpecialistID(0)], "the freed slot went to the backlog")
    }
}
