/// Answers to the polled list reads (`/v1/incidents`, `/v1/auctions`, `/v1/executions`,
/// `/v1/approvals`), kept for a moment and keyed by the request target: a hundred dashboards
/// polling the same page cost the loop one store query, not a hundred, so polling cannot starve
/// the auctions that share the loop (`tender bench auction-under-load` measures it).
///
/// An answer is served for at most `maxAge` seconds; any write through the API empties the
/// cache, so a client reads its own writes. Pure: the clock is passed in.
struct ReadCache {
    /// Seconds an answer may be reused; 0 turns the cache off.
    var maxAge: Double
    /// Distinct targets held; past this the cache starts again, so odd queries cannot grow it.
    var capacity = 128
    private var entries: [String: (at: Double, response: HTTPResponse)] = [:]

    init(maxAge: Double) { self.maxAge = maxAge }

    /// The answer stored for `target` no more than `maxAge` seconds before `now`.
    func lookup(_ target: String, now: Double) -> HTTPResponse? {
        guard maxAge > 0, let entry = entries[target], now - entry.at < maxAge, now >= entry.at else { return nil }
        return entry.response
    }

    mutating func store(_ response: HTTPResponse, for target: String, now: Double) {
        guard maxAge > 0 else { return }
        if entries.count >= capacity, entries[target] == nil { entries.removeAll(keepingCapacity: true) }
        entries[target] = (now, response)
    }

    mutating func invalidate() { entries.removeAll(keepingCapacity: true) }
}
