import Testing
@testable import TenderCore

/// Joins and leaves update the pool's eligibility lists and bit sets in place (rebuilding them on
/// every join made a pool of n specialists cost O(n²) to start: 30,000 took 20 s to simulate).
/// In place must still mean exactly what a rebuild would give, whatever the order of changes.
@Suite struct SpecialistTableEligibilityTests {
    static func info(_ index: Int, skill: Int) -> SpecialistInfo {
        // Skills below the minimum on some categories, so eligibility differs per specialist.
        let skills = PerCategory<Double> { category in (index + category.rawValue + skill) % 3 == 0 ? 0.05 : 0.8 }
        return SpecialistInfo(id: SpecialistID(index), name: "s\(index)", kind: .security, skills: skills, capacity: 1 + index % 3)
    }

    @Test func inPlaceUpdatesMatchTheDefinition() {
        var table = SpecialistTable(minimumSkill: 0.1)
        var random = SeededGenerator(seed: 7)
        var present: [Int: SpecialistInfo] = [:]
        // Out-of-order ids, crossing 64-id words, with leaves, rejoins with other skills, and load.
        for step in 0..<3000 {
            let index = random.nextIndex(below: 300)
            switch random.nextIndex(below: 4) {
            case 0 where present[index] != nil:
                table.leave(SpecialistID(index))
                present[index] = nil
            case 1 where present[index] != nil:
                table.recordAward(SpecialistID(index))
            default:
                let info = Self.info(index, skill: step)
                table.join(info)
                present[index] = info
            }
            if step % 97 == 0 { check(table, present) }
        }
        check(table, present)
    }

    func check(_ table: SpecialistTable, _ present: [Int: SpecialistInfo]) {
        for category in IncidentCategory.allCases {
            let expected = present.values.filter { $0.skills[category] >= 0.1 }.map(\.id).sorted()
            #expect(table.eligible[category] == expected, "eligible \(category)")
            var free: [SpecialistID] = []
            table.appendFree(for: category, to: &free)
            #expect(free == expected.filter { table.hasFreeSlot($0) }, "free \(category)")
            #expect(table.anyFree(for: category) == !free.isEmpty)
        }
    }
}
