import Testing
@testable import TenderCore

/// Incidents waiting for capacity come out most severe first, then oldest first (or purely oldest
/// first under FIFO), and only into specialists able to take them.
@Suite struct BacklogTests {
    /// One specialist with one slot, kept busy by incident 100; then the given arrivals queue up.
    /// Returns the order in which the queued incidents are announced as the slot frees repeatedly.
    func drainOrder(_ order: BacklogOrder, _ arrivals: [(UInt64, Severity, Double)]) -> [IncidentID] {
        var config = EngineConfig()
        config.backlogOrder = order
        var h = EngineHarness(config: config, specialists: [specialist(0, capacity: 1)])
        h.send(.incidentArrived(ticket(100)))
        h.send(.proposal(ref(100), from: SpecialistID(0), Bid(eta: 1)))
        for (id, severity, time) in arrivals {
            h.clock.set(Instant(seconds: time))
            h.send(.incidentArrived(ticket(id, .security, severity, at: time)))
        }
        var served: [IncidentID] = []
        var current = ref(100)
        for _ in arrivals {
            let freed = h.send(.outcome(current, from: SpecialistID(0), .done))
            guard let next = freed.cfpRefs.first else { break }
            served.append(next.incident)
            h.send(.proposal(next, from: SpecialistID(0), Bid(eta: 1)))
            current = next
        }
        return served
    }

    let arrivals: [(UInt64, Severity, Double)] = [(1, .low, 1), (2, .critical, 2), (3, .high, 3), (4, .critical, 4), (5, .medium, 5)]

    @Test func priorityOrderIsSeverityThenAge() {
        #expect(drainOrder(.priority, arrivals) == [2, 4, 3, 5, 1].map(IncidentID.init))
    }

    @Test func fifoOrderIsArrivalOrder() {
        #expect(drainOrder(.fifo, arrivals) == [1, 2, 3, 4, 5].map(IncidentID.init))
    }

    @Test func sameInstantArrivalsKeepIntakeOrder() {
        let simultaneous: [(UInt64, Severity, Double)] = [(7, .high, 1), (5, .high, 1), (6, .high, 1)]
        #expect(drainOrder(.priority, simultaneous) == [7, 5, 6].map(IncidentID.init))
    }

    @Test func freedCapacityGoesToAnIncidentTheSpecialistCanTake() {
        let security = specialist(0, .security, capacity: 1)
        let database = specialist(1, .database, capacity: 1)
        var h = EngineHarness(specialists: [security, database])
        h.send(.incidentArrived(ticket(1, .security)))
        h.send(.proposal(ref(1), from: SpecialistID(0), Bid(eta: 1)))
        h.send(.incidentArrived(ticket(2, .database)))
        h.send(.proposal(ref(2), from: SpecialistID(1), Bid(eta: 1)))
        h.send(.incidentArrived(ticket(3, .database, .critical, at: 0)))
        h.send(.incidentArrived(ticket(4, .security, .low, at: 1)))
        // The security slot frees: the critical database incident is more urgent, but security cannot
        // take it, so the low security incident goes next.
        let freed = h.send(.outcome(ref(1), from: SpecialistID(0), .done))
        #expect(freed.cfpRefs.map(\.incident) == [IncidentID(4)])
    }

    @Test func aSlotLeftIdleByAFailedRoundGoesToTheNextInTheBacklog() {
        var h = EngineHarness(specialists: [specialist(0, capacity: 1)])
        h.send(.incidentArrived(ticket(1)))
        h.send(.proposal(ref(1), from: SpecialistID(0), Bid(eta: 1)))
        h.send(.incidentArrived(ticket(2, at: 1)))
        h.send(.incidentArrived(ticket(3, at: 2)))
        #expect(h.send(.outcome(ref(1), from: SpecialistID(0), .done)).cfpRefs == [ref(2)])
        // The specialist declines incident 2, which backs off; its slot must not sit idle meanwhile.
        let declined = h.send(.refusal(ref(2), from: SpecialistID(0), .declined))
        #expect(declined.backlogged == [IncidentID(2)], "a decline waits; it is not a failed attempt")
        #expect(declined.cfpRefs == [ref(3)])
    }
}
