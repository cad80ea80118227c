import HeapModule

/// Incidents waiting for a free slot, one heap per category so that capacity freed at a specialist
/// goes to the most urgent incident that specialist can actually take.
///
/// Removal is lazy: a cancelled incident stays in its heap until it surfaces, and the auctioneer
/// skips it then.
struct Backlog: Sendable {
    struct Entry: Comparable, Sendable {
        /// Severity rank under `.priority`; 0 for every entry under `.fifo`.
        var rank: Int
        var arrived: Instant
        /// Tie-break that keeps same-instant arrivals in intake order.
        var sequence: UInt64
        var incident: IncidentID

        static func < (lhs: Entry, rhs: Entry) -> Bool {
            (lhs.rank, lhs.arrived, lhs.sequence) < (rhs.rank, rhs.arrived, rhs.sequence)
        }
    }

    let order: BacklogOrder
    private var heaps = PerCategory<Heap<Entry>>(repeating: Heap())
    private var nextSequence: UInt64 = 0
    /// Entries still in heaps, including ones cancelled but not yet surfaced.
    private(set) var storedCount = 0

    init(order: BacklogOrder) { self.order = order }

    /// File `ticket`; returns the entry's sequence number, which tells a live entry from a stale
    /// one left behind when the incident was announced another way (a re-check).
    @discardableResult
    mutating func push(_ ticket: IncidentTicket) -> UInt64 {
        let rank = order == .priority ? ticket.severity.rawValue : 0
        let sequence = nextSequence
        heaps[ticket.category].insert(Entry(rank: rank, arrived: ticket.createdAt, sequence: sequence, incident: ticket.id))
        nextSequence &+= 1
        storedCount += 1
        return sequence
    }

    /// The most urgent entry among the given categories, without removing it.
    func head(among categories: some Sequence<IncidentCategory>) -> (IncidentCategory, Entry)? {
        var best: (IncidentCategory, Entry)?
        for category in categories {
            guard let entry = heaps[category].min else { continue }
            if best == nil || entry < best!.1 { best = (category, entry) }
        }
        return best
    }

    /// The most urgent entry among the categories whose bit (`1 << rawValue`) is set in `mask`.
    @inline(__always)
    func head(inMask mask: UInt8) -> (IncidentCategory, Entry)? {
        var best: (IncidentCategory, Entry)?
        var bits = mask
        while bits != 0 {
            let category = IncidentCategory(rawValue: bits.trailingZeroBitCount)!
            bits &= bits &- 1
            guard let entry = heaps[category].min else { continue }
            if best == nil || entry < best!.1 { best = (category, entry) }
        }
        return best
    }

    mutating func popHead(of category: IncidentCategory) {
        _ = heaps[category].popMin()
        storedCount -= 1
    }

    func isEmpty(_ category: IncidentCategory) -> Bool { heaps[category].isEmpty }
}
