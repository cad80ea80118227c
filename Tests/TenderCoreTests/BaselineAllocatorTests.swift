import Testing
@testable import TenderCore

/// The direct baselines choose as their names promise.
struct BaselineAllocatorTests {
    static func table(loads: [Int], capacity: Int = 4) -> SpecialistTable {
        var table = SpecialistTable(minimumSkill: 0.1)
        for index in loads.indices {
            table.join(SpecialistInfo(id: SpecialistID(index), name: "s\(index)", kind: .security,
                                      skills: PerCategory { $0 == .security ? 1 - Double(index) * 0.1 : 0.5 }, capacity: capacity))
            table.addLoad(SpecialistID(index), loads[index])
        }
        return table
    }

    static let ticket = IncidentTicket(id: IncidentID(1), category: .security, severity: .high, createdAt: .zero)
    static let all = (0..<4).map { SpecialistID($0) }

    @Test func leastLoadedPicksTheSmallestShareOfCapacity() {
        let table = Self.table(loads: [3, 1, 2, 1])
        #expect(LeastLoadedAllocator().choose(for: Self.ticket, among: Self.all, in: table) == SpecialistID(1))
    }

    @Test func roundRobinTakesTurnsAndSkipsNonCandidates() {
        let table = Self.table(loads: [0, 0, 0, 0])
        let robin = RoundRobinAllocator()
        let picks = (0..<5).map { _ in robin.choose(for: Self.ticket, among: [SpecialistID(0), SpecialistID(2), SpecialistID(3)], in: table)!.rawValue }
        #expect(picks == [0, 2, 3, 0, 2])
    }

    @Test func powerOfTwoNeverPicksTheMostLoadedOfTwo() {
        let table = Self.table(loads: [3, 0])
        let allocator = PowerOfTwoAllocator(seed: 1)
        for _ in 0..<100 { #expect(allocator.choose(for: Self.ticket, among: [SpecialistID(0), SpecialistID(1)], in: table) == SpecialistID(1)) }
    }

    @Test func randomCoversEveryCandidate() {
        let table = Self.table(loads: [0, 0, 0, 0])
        let allocator = RandomAllocator(seed: 2)
        let seen = Set((0..<200).compactMap { _ in allocator.choose(for: Self.ticket, among: Self.all, in: table) })
        #expect(seen == Set(Self.all))
    }

    @Test func centralGreedyPicksTheMinimumExpectedCompletion() {
        let table = Self.table(loads: [0, 0, 0, 0])
        let planner = CentralGreedyAllocator()
        // Equal service everywhere except specialist 2, which is three times faster.
        for id in Self.all { planner.register(id) { _, _ in id == SpecialistID(2) ? 100 : 300 } }
        #expect(planner.choose(for: Self.ticket, among: Self.all, in: table) == SpecialistID(2))
        // With equal service, skill decides: specialist 0 has the highest security skill.
        let even = CentralGreedyAllocator()
        for id in Self.all { even.register(id) { _, _ in 100 } }
        #expect(even.choose(for: Self.ticket, among: Self.all, in: table) == SpecialistID(0))
    }
}
