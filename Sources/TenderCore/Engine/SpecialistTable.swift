/// The engine's view of the pool: who is present, what each can do, and how many tasks each holds
/// by the engine's own count of awards not yet concluded.
public struct SpecialistTable: Sendable {
    /// Indexed by `SpecialistID.index`; nil where a specialist left or never joined.
    public private(set) var infos: [SpecialistInfo?] = []
    /// Awarded, unfinished tasks per specialist (same indexing).
    public private(set) var loads: [Int] = []
    /// Capacity per specialist, -1 where absent: lets the hot checks (`hasFreeSlot`, load and
    /// invitation counts) read integers instead of copying a whole `SpecialistInfo` out of `infos`.
    private(set) var capacities: [Int] = []
    /// Per specialist, a bit per category (bit `rawValue`) it is skilled enough to take; 0 where
    /// absent. Lets the backlog drain without copying a `SpecialistInfo` (and its name) out.
    private(set) var takes: [UInt8] = []
    /// Open rounds that invited each specialist. A free slot with an open invitation is spoken
    /// for: that round may fill it, so the backlog does not send it more work yet.
    public private(set) var invitations: [Int] = []
    /// Present specialists able to take each category, in id order.
    public private(set) var eligible = PerCategory<[SpecialistID]>(repeating: [])
    let minimumSkill: Double

    public init(minimumSkill: Double) { self.minimumSkill = minimumSkill }

    public var count: Int { infos.lazy.compactMap { $0 }.count }
    public var presentIDs: [SpecialistID] { infos.compactMap { $0?.id } }

    public func info(_ id: SpecialistID) -> SpecialistInfo? {
        id.index < infos.count ? infos[id.index] : nil
    }

    public func load(_ id: SpecialistID) -> Int { id.index < loads.count ? loads[id.index] : 0 }

    @inline(__always)
    public func hasFreeSlot(_ id: SpecialistID) -> Bool {
        let index = id.index
        return index < capacities.count && loads[index] < capacities[index]
    }

    /// A free slot no open round is about to fill.
    @inline(__always)
    public func hasIdleSlot(_ id: SpecialistID) -> Bool {
        let index = id.index
        return index < capacities.count && loads[index] + invitations[index] < capacities[index]
    }

    @inline(__always)
    func isPresent(_ id: SpecialistID) -> Bool {
        id.index < capacities.count && capacities[id.index] >= 0
    }

    public func skill(_ id: SpecialistID, for category: IncidentCategory) -> Double {
        info(id)?.skills[category] ?? 0
    }

    mutating func join(_ info: SpecialistInfo) {
        let index = info.id.index
        if index >= infos.count {
            infos.append(contentsOf: repeatElement(nil, count: index - infos.count + 1))
            loads.append(contentsOf: repeatElement(0, count: index - loads.count + 1))
            capacities.append(contentsOf: repeatElement(-1, count: index - capacities.count + 1))
            invitations.append(contentsOf: repeatElement(0, count: index - invitations.count + 1))
            takes.append(contentsOf: repeatElement(0, count: index - takes.count + 1))
        }
        infos[index] = info
        loads[index] = 0
        capacities[index] = info.capacity
        invitations[index] = 0
        var mask: UInt8 = 0
        for category in IncidentCategory.allCases where info.skills[category] >= minimumSkill { mask |= 1 << category.rawValue }
        takes[index] = mask
        rebuildEligibility()
    }

    mutating func leave(_ id: SpecialistID) {
        guard info(id) != nil else { return }
        infos[id.index] = nil
        loads[id.index] = 0
        capacities[id.index] = -1
        invitations[id.index] = 0
        takes[id.index] = 0
        rebuildEligibility()
    }

    mutating func addLoad(_ id: SpecialistID, _ delta: Int) {
        guard isPresent(id) else { return }
        loads[id.index] = max(0, loads[id.index] + delta)
    }

    mutating func addInvitations(_ id: SpecialistID, _ delta: Int) {
        guard isPresent(id) else { return }
        invitations[id.index] = max(0, invitations[id.index] + delta)
    }

    private mutating func rebuildEligibility() {
        eligible = PerCategory { category in
            infos.compactMap { info in
                guard let info, info.skills[category] >= minimumSkill else { return nil }
                return info.id
            }
        }
    }
}
