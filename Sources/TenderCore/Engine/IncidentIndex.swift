/// Which record slot holds each open incident: an open-addressing hash table (linear probing,
/// backward-shift deletion, so no tombstones) keyed by the incident id's raw value.
///
/// It replaces `[IncidentID: Int]` on the engine's hot path, where every message looks up its
/// incident: a multiplicative hash of one integer costs a fraction of SipHash with a fresh seed,
/// and the table never shrinks, so steady traffic allocates nothing. Behaviour is that of the
/// dictionary it replaces; iteration order is unspecified (callers sort).
struct IncidentIndex: Sendable {
    private var keys: [UInt64]
    private var slots: [Int32]
    /// `slots` value marking an empty bucket.
    private static let empty: Int32 = -1
    private var mask: Int
    private(set) var count = 0
    /// The last key inserted or looked up through `find`, and its slot (-1: none). A round's
    /// answers arrive one after another for the same incident, so most lookups hit it.
    private var cachedKey: UInt64 = 0
    private var cachedSlot: Int32 = -1

    init(capacity: Int = 64) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = Array(repeating: 0, count: size)
        slots = Array(repeating: Self.empty, count: size)
        mask = size - 1
    }

    @inline(__always)
    private func home(_ key: UInt64) -> Int {
        // Fibonacci hashing: the top bits of key × 2⁶⁴/φ spread sequential ids evenly.
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    subscript(incident: IncidentID) -> Int? {
        @inline(__always) get {
            var bucket = home(incident.rawValue)
            while slots[bucket] != Self.empty {
                if keys[bucket] == incident.rawValue { return Int(slots[bucket]) }
                bucket = (bucket &+ 1) & mask
            }
            return nil
        }
        set {
            if let newValue { insert(incident.rawValue, Int32(newValue)) } else { remove(incident.rawValue) }
        }
    }

    /// The same as the subscript's getter, remembering the answer for the next call.
    @inline(__always)
    mutating func find(_ incident: IncidentID) -> Int? {
        let key = incident.rawValue
        if cachedSlot >= 0, cachedKey == key { return Int(cachedSlot) }
        guard let slot = self[incident] else { return nil }
        cachedKey = key
        cachedSlot = Int32(slot)
        return slot
    }

    /// File `incident` at `slot` unless it is already in the index; false (and no change) if it is.
    mutating func insertIfAbsent(_ incident: IncidentID, slot: Int) -> Bool {
        let key = incident.rawValue
        if (count + 1) * 2 > slots.count { grow() }
        var bucket = home(key)
        while slots[bucket] != Self.empty {
            if keys[bucket] == key { return false }
            bucket = (bucket &+ 1) & mask
        }
        keys[bucket] = key
        slots[bucket] = Int32(slot)
        count += 1
        cachedKey = key
        cachedSlot = Int32(slot)
        return true
    }

    /// Every slot in the index, in no particular order.
    var values: [Int] { slots.filter { $0 != Self.empty }.map(Int.init) }

    private mutating func insert(_ key: UInt64, _ slot: Int32) {
        cachedKey = key
        cachedSlot = slot
        if (count + 1) * 2 > slots.count { grow() }
        var bucket = home(key)
        while slots[bucket] != Self.empty {
            if keys[bucket] == key {
                slots[bucket] = slot
                return
            }
            bucket = (bucket &+ 1) & mask
        }
        keys[bucket] = key
        slots[bucket] = slot
        count += 1
    }

    private mutating func remove(_ key: UInt64) {
        if cachedKey == key { cachedSlot = -1 }
        var bucket = home(key)
        while slots[bucket] != Self.empty {
            if keys[bucket] == key { break }
            bucket = (bucket &+ 1) & mask
        }
        guard slots[bucket] != Self.empty else { return }
        // Backward shift: pull later members of the probe run into the hole when their home
        // bucket does not lie (cyclically) between the hole and their position.
        var hole = bucket
        var next = (hole &+ 1) & mask
        while slots[next] != Self.empty {
            let wanted = home(keys[next])
            if (next &- wanted) & mask >= (next &- hole) & mask {
                keys[hole] = keys[next]
                slots[hole] = slots[next]
                hole = next
            }
            next = (next &+ 1) & mask
        }
        slots[hole] = Self.empty
        count -= 1
    }

    private mutating func grow() {
        let oldKeys = keys
        let oldSlots = slots
        keys = Array(repeating: 0, count: oldKeys.count * 2)
        slots = Array(repeating: Self.empty, count: oldKeys.count * 2)
        mask = keys.count - 1
        count = 0
        for index in oldKeys.indices where oldSlots[index] != Self.empty { insert(oldKeys[index], oldSlots[index]) }
    }
}
