import TenderCore

/// How many incidents the coordinator lets into the engine at once, adapted to how fast rounds
/// close: additive increase while the mean CFP→award latency of a sampling window is under the
/// target, multiplicative decrease when it is over (AIMD, as in TCP congestion control).
///
/// Why: an open-loop sender faster than the pool used to fill the loop with rounds that then
/// missed their reply window, failed and were retried, adding load until throughput collapsed.
/// Bounding the incidents in flight keeps the rounds that are admitted fast; the rest get
/// `overloaded` (retry) at intake, so nothing is lost silently and memory stays bounded.
///
/// Pure: no clock. The coordinator feeds it each award's latency with the instant it happened
/// and asks it before admitting an incident; tests feed it a manual clock.
public struct AdmissionLimit: Sendable {
    /// The knobs; `target` 0 turns the limit off (only `maxOpenIncidents` bounds intake).
    public struct Settings: Sendable, Hashable {
        /// Mean CFP→award latency to steer to, in seconds; 0 turns adaptation off.
        public var target = 0.025
        /// The limit at start, clamped to `floor...ceiling`.
        public var initial = 1024
        /// Never fewer incidents in flight than this (the limit does not starve a slow pool).
        public var floor = 256
        /// Never more than this, whatever the latency.
        public var ceiling = 16_384
        /// Latencies are averaged over windows this long; the limit moves at most once a window.
        public var window = 0.1
        /// Added to the limit after a window under the target (while the limit was in use).
        public var increase = 64
        /// The limit is multiplied by this after a window over the target.
        public var decrease = 0.9

        public init() {}

        public init(target: Double, initial: Int = 1024, floor: Int = 256, ceiling: Int = 16_384) {
            self.target = target
            self.initial = initial
            self.floor = floor
            self.ceiling = ceiling
        }
    }

    public let settings: Settings
    /// Incidents that may be in flight (accepted and not concluded) right now.
    public private(set) var limit: Int
    private var windowStart: Instant?
    private var latencySum = 0.0
    private var samples = 0
    private var busiest = 0

    public init(settings: Settings = Settings()) {
        self.settings = settings
        let floor = max(1, settings.floor)
        limit = min(max(settings.initial, floor), max(floor, settings.ceiling))
    }

    /// False when `target` is 0: every incident is admitted (up to `maxOpenIncidents`).
    public var isEnabled: Bool { settings.target > 0 }

    /// Whether one more incident may enter with `inFlight` already in.
    public func admits(inFlight: Int) -> Bool { !isEnabled || inFlight < limit }

    /// One round's CFP→award latency (seconds), observed at `instant` with `inFlight` incidents
    /// in flight. Closes the sampling window once it is `window` long and adjusts the limit.
    public mutating func record(latency: Double, inFlight: Int, at instant: Instant) {
        guard isEnabled else { return }
        guard let start = windowStart else {
            windowStart = instant
            latencySum = latency
            samples = 1
            busiest = inFlight
            return
        }
        latencySum += latency
        samples += 1
        busiest = max(busiest, inFlight)
        guard instant - start >= settings.window else { return }
        let mean = latencySum / Double(samples)
        let floor = max(1, settings.floor)
        let ceiling = max(floor, settings.ceiling)
        if mean > settings.target {
            limit = max(floor, min(limit - 1, Int((Double(limit) * settings.decrease).rounded(.down))))
        } else if busiest * 2 >= limit {
            // Grow only while the limit is what holds intake back: a lightly loaded coordinator
            // would otherwise creep to the ceiling and meet the next burst with no limit at all.
            limit = min(ceiling, limit + settings.increase)
        }
        windowStart = instant
        latencySum = 0
        samples = 0
        busiest = inFlight
    }
}
