/// The engine's view of the pool: who is present, what each can do, and how many tasks each holds
/// by the engine's own count of awards not yet concluded.
public struct SpecialistTable: Sendable {
    /// Indexed by `SpecialistID.index`; nil where a specialist left or never joined.
    public private(set) var infos: [SpecialistInfo?] = []
    /// Awarded, unfinished tasks per specialist (same indexing).
    public private(set) var loads: [Int] = []
    /// Awards each specialist has received since it joined (same indexing). Breaks ties between
    /// equal bids, so identical idle specialists take turns instead of the lowest id winning all.
    public private(set) var awards: [Int] = []
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
    /// Bit sets over specialist indices (64 a word): `freeBits` has a bit for each present
    /// specialist with a free slot (load below capacity), `eligibleBits` one per category
    /// (category-major, `wordCount` words each) for `eligible`. Announcing intersects the two
    /// instead of testing every eligible specialist, and finds "nobody free" without a scan.
    private(set) var freeBits: [UInt64] = []
    private(set) var eligibleBits: [UInt64] = []
    private(set) var wordCount = 0
    let minimumSkill: Double

    public init(minimumSkill: Double) { self.minimumSkill = minimumSkill }

    public var count: Int { infos.lazy.compactMap { $0 }.count }

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
            awards.append(contentsOf: repeatElement(0, count: index - awards.count + 1))
            takes.append(contentsOf: repeatElement(0, count: index - takes.count + 1))
        }
        if infos[index] != nil { removeEligibility(index) }
        infos[index] = info
        loads[index] = 0
        capacities[index] = info.capacity
        invitations[index] = 0
        awards[index] = 0
        var mask: UInt8 = 0
        for category in IncidentCategory.allCases where info.skills[category] >= minimumSkill { mask |= 1 << category.rawValue }
        takes[index] = mask
        addEligibility(index)
    }

    mutating func leave(_ id: SpecialistID) {
        guard info(id) != nil else { return }
        removeEligibility(id.index)
        infos[id.index] = nil
        loads[id.index] = 0
        capacities[id.index] = -1
        invitations[id.index] = 0
        takes[id.index] = 0
    }

    mutating func addLoad(_ id: SpecialistID, _ delta: Int) {
        guard isPresent(id) else { return }
        let index = id.index
        let load = max(0, loads[index] + delta)
        loads[index] = load
        setFree(index, load < capacities[index])
    }

    /// An award to `id`: one more task held, one more award counted.
    mutating func recordAward(_ id: SpecialistID) {
        guard isPresent(id) else { return }
        awards[id.index] &+= 1
        addLoad(id, +1)
    }

    /// Between two equal bids, whether `a` should win over `b`: the one holding the smaller
    /// share of its capacity, then the one awarded less so far, then the lower id. Deterministic,
    /// and it spreads work across identical specialists.
    public func winsTie(_ a: SpecialistID, over b: SpecialistID) -> Bool {
        let (i, j) = (a.index, b.index)
        let fillA = loads[i] * max(capacities[j], 1), fillB = loads[j] * max(capacities[i], 1)
        if fillA != fillB { return fillA < fillB }
        if awards[i] != awards[j] { return awards[i] < awards[j] }
        return i < j
    }

    @inline(__always)
    private mutating func setFree(_ index: Int, _ free: Bool) {
        let bit: UInt64 = 1 << UInt64(index & 63)
        if free { freeBits[index >> 6] |= bit } else { freeBits[index >> 6] &= ~bit }
    }

    /// Whether a present specialist able to take `category` has a free slot.
    @inline(__always)
    func anyFree(for category: IncidentCategory) -> Bool {
        let base = category.rawValue &* wordCount
        for word in 0..<wordCount where eligibleBits[base &+ word] & freeBits[word] != 0 { return true }
        return false
    }

    /// Append the present specialists able to take `category` that have a free slot, in id order
    /// (the order of `eligible`).
    @inline(__always)
    func appendFree(for category: IncidentCategory, to list: inout [SpecialistID]) {
        let base = category.rawValue &* wordCount
        for word in 0..<wordCount {
            var bits = eligibleBits[base &+ word] & freeBits[word]
            while bits != 0 {
                list.append(SpecialistID(word << 6 | bits.trailingZeroBitCount))
                bits &= bits &- 1
            }
        }
    }

    /// Make `list` exactly the present specialists able to take `category` that have a free
    /// slot, in id order. When the list already has that many entries they are overwritten in
    /// place (one uniqueness check rather than one per append).
    @inline(__always)
    func collectFree(for category: IncidentCategory, into list: inout [SpecialistID]) {
        let base = category.rawValue &* wordCount
        var total = 0
        for word in 0..<wordCount { total &+= (eligibleBits[base &+ word] & freeBits[word]).nonzeroBitCount }
        guard list.count == total else {
            list.removeAll(keepingCapacity: true)
            appendFree(for: category, to: &list)
            return
        }
        list.withUnsafeMutableBufferPointer { buffer in
            var index = 0
            for word in 0..<wordCount {
                var bits = eligibleBits[base &+ word] & freeBits[word]
                while bits != 0 {
                    buffer[index] = SpecialistID(word << 6 | bits.trailingZeroBitCount)
                    index += 1
                    bits &= bits &- 1
                }
            }
        }
    }

    /// `addInvitations(_:_:)` for each of `ids`, in one pass over the counts (one uniqueness
    /// check of the array rather than one per specialist).
    mutating func addInvitations(_ ids: [SpecialistID], _ delta: Int) {
        let capacities = self.capacities
        invitations.withUnsafeMutableBufferPointer { counts in
            for id in ids {
                let index = id.index
                guard index < capacities.count, capacities[index] >= 0 else { continue }
                counts[index] = max(0, counts[index] + delta)
            }
        }
    }

    mutating func addInvitations(_ id: SpecialistID, _ delta: Int) {
        guard isPresent(id) else { return }
        invitations[id.index] = max(0, invitations[id.index] + delta)
    }

    // Joins and leaves update eligibility in place: rebuilding it from every specialist on each
    // join made starting a pool of n specialists O(n²) (30,000 specialists took 20 s to simulate).

    /// Add a present specialist's bits and its place in `eligible` (kept in id order).
    private mutating func addEligibility(_ index: Int) {
        reserveWords(for: index)
        setFree(index, loads[index] < capacities[index])
        let id = SpecialistID(index)
        for category in IncidentCategory.allCases where takes[index] & (1 << category.rawValue) != 0 {
            eligibleBits[category.rawValue &* wordCount &+ index >> 6] |= 1 << UInt64(index & 63)
            Self.insert(id, into: &eligible[category])
        }
    }

    /// Take a specialist out of the bits and `eligible`, before its entries are cleared.
    private mutating func removeEligibility(_ index: Int) {
        guard index >> 6 < wordCount else { return }
        setFree(index, false)
        let id = SpecialistID(index)
        for category in IncidentCategory.allCases where takes[index] & (1 << category.rawValue) != 0 {
            eligibleBits[category.rawValue &* wordCount &+ index >> 6] &= ~(1 << UInt64(index & 63))
            Self.remove(id, from: &eligible[category])
        }
    }

    /// Make the bit sets cover `index`, doubling the word count so a growing pool re-lays them
    /// out O(log n) times.
    private mutating func reserveWords(for index: Int) {
        let needed = index >> 6 + 1
        guard needed > wordCount else { return }
        let words = max(needed, wordCount * 2)
        let categories = IncidentCategory.allCases.count
        var bits = Array(repeating: UInt64(0), count: words * categories)
        for category in 0..<categories {
            for word in 0..<wordCount { bits[category * words + word] = eligibleBits[category * wordCount + word] }
        }
        eligibleBits = bits
        freeBits.append(contentsOf: repeatElement(0, count: words - wordCount))
        wordCount = words
    }

    /// Insert keeping id order; a pool usually grows at the end, which is the fast path.
    private static func insert(_ id: SpecialistID, into list: inout [SpecialistID]) {
        if let last = list.last, last.index >= id.index {
            let position = firstPosition(notBelow: id, in: list)
            if position < list.count, list[position] == id { return }
            list.insert(id, at: position)
        } else {
            list.append(id)
        }
    }

    private static func remove(_ id: SpecialistID, from list: inout [SpecialistID]) {
        let position = firstPosition(notBelow: id, in: list)
        if position < list.count, list[position] == id { list.remove(at: position) }
    }

    /// Binary search in an id-ordered list.
    private static func firstPosition(notBelow id: SpecialistID, in list: [SpecialistID]) -> Int {
        var (low, high) = (0, list.count)
        while low < high {
            let middle = (low + high) / 2
            if list[middle].index < id.index { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
