import Testing
@testable import TenderCore

/// Engine changes made for the simulator: they must keep behaviour identical.
struct EngineSimRegressionTests {
    /// The open-addressing incident index behaves exactly like the dictionary it replaced, through
    /// inserts, overwrites, removals (backward shifts) and growth.
    @Test func incidentIndexMatchesADictionary() {
        var index = IncidentIndex(capacity: 4)
        var reference: [IncidentID: Int] = [:]
        var random = SeededGenerator(seed: 3)
        for step in 0..<200_000 {
            // Clustered keys (slot-like low bits, serial-like high bits) stress probe runs.
            let id = IncidentID(UInt64(random.nextIndex(below: 3000)) << (step % 2 == 0 ? 0 : 32))
            switch random.nextIndex(below: 3) {
            case 0, 1:
                index[id] = step
                reference[id] = step
            default:
                index[id] = nil
                reference[id] = nil
            }
            if step % 1000 == 0 {
                #expect(index.count == reference.count)
                #expect(index.values.sorted() == reference.values.sorted())
            }
        }
        for key in 0..<3000 {
            for shift in [0, 32] {
                let id = IncidentID(UInt64(key) << UInt64(shift))
                #expect(index[id] == reference[id])
            }
        }
    }

    @Test func hasFreeSlotFollowsJoinsLoadsAndLeaves() {
        var table = SpecialistTable(minimumSkill: 0.1)
        let id = SpecialistID(2)
        #expect(!table.hasFreeSlot(id))
        table.join(SpecialistInfo(id: id, name: "s", kind: .network, skills: PerCategory(repeating: 1), capacity: 2))
        #expect(table.hasFreeSlot(id))
        table.addLoad(id, 2)
        #expect(!table.hasFreeSlot(id))
        table.addLoad(id, -1)
        #expect(table.hasFreeSlot(id))
        table.leave(id)
        #expect(!table.hasFreeSlot(id))
        #expect(!table.hasFreeSlot(SpecialistID(0)))
    }
}
