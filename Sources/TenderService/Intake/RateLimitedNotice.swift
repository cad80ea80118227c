/// Decides when a repeated warning is logged: the first time, then at most once per `interval`,
/// saying how many occurrences were not logged in between. A flood of refused connections then
/// costs a log line every few seconds, not one per connection. Pure: the caller passes the time.
public struct RateLimitedNotice: Sendable {
    public let interval: Double
    private var lastLogged: Double?
    private var suppressed = 0

    public init(interval: Double = 10) { self.interval = interval }

    /// Note one occurrence at `now` (seconds). Returns how many earlier ones went unlogged when
    /// this one should be logged, nil when it should not.
    public mutating func occurred(at now: Double) -> Int? {
        if let lastLogged, now - lastLogged < interval {
            suppressed += 1
            return nil
        }
        lastLogged = now
        defer { suppressed = 0 }
        return suppressed
    }
}
