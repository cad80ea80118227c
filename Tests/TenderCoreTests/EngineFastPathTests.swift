import Testing
@testable import TenderCore

/// The engine's speed-ups keep its bookkeeping exact: each is checked against the plain form
/// it replaces.
struct EngineFastPathTests {
    /// `find` (with its one-entry cache) and `insertIfAbsent` agree with a dictionary through
    /// inserts, duplicates, overwrites, removals and growth.
    @Test func incidentIndexFastPathsMatchADictionary() {
        var index = IncidentIndex(capacity: 4)
        var reference: [IncidentID: Int] = [:]
        var random = SeededGenerator(seed: 11)
        for step in 0..<100_000 {
            let id = IncidentID(UInt64(random.nextIndex(below: 500)) << (step % 3 == 0 ? 32 : 0))
            switch random.nextIndex(below: 5) {
            case 0:
                let inserted = index.insertIfAbsent(id, slot: step)
                #expect(inserted == (reference[id] == nil))
                if inserted { reference[id] = step }
            case 1:
                index[id] = step
                reference[id] = step
            case 2:
                index[id] = nil
                reference[id] = nil
            default:
                #expect(index.find(id) == reference[id])
                #expect(index.find(id) == reference[id])
            }
        }
        #expect(index.count == reference.count)
    }

    /// The free-slot bit sets say what the load and capacity arrays say, and list free eligible
    /// specialists in id order, through joins, loads and departures.
    @Test func freeSlotBitsFollowLoadsAndMembership() {
        var table = SpecialistTable(minimumSkill: 0.1)
        var random = SeededGenerator(seed: 5)
        for step in 0..<20_000 {
            let id = SpecialistID(random.nextIndex(below: 70))
            switch random.nextIndex(below: 6) {
            case 0:
                var skills = PerCategory(repeating: 0.0)
                skills[.network] = 0.9
                if random.nextIndex(below: 2) == 0 { skills[.database] = 0.5 }
                table.join(SpecialistInfo(id: id, name: "s\(step)", kind: .network, skills: skills, capacity: random.nextIndex(below: 3)))
            case 1:
                table.leave(id)
            case 2, 3:
                table.addLoad(id, +1)
            default:
                table.addLoad(id, -1)
            }
            for category in IncidentCategory.allCases {
                let expected = table.eligible[category].filter { table.hasFreeSlot($0) }
                var listed: [SpecialistID] = []
                table.appendFree(for: category, to: &listed)
                #expect(listed == expected)
                #expect(table.anyFree(for: category) == !expected.isEmpty)
                // Collected into a list of the same or another length, the result is the same.
                var reused = Array(repeating: SpecialistID(999), count: random.nextIndex(below: 2) == 0 ? expected.count : step % 5)
                table.collectFree(for: category, into: &reused)
                #expect(reused == expected)
            }
        }
    }
}
