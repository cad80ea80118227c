/// Each specialist's past performance per category: how its deliveries compare with its promises,
/// how often its awards fail, how often it abandons them. Kept by name, so a specialist that
/// reconnects (and gets another engine id) keeps its record, and exportable as a value so the
/// live coordinator can persist it and load it back after a restart.
///
/// Every figure is an exponentially weighted moving average (weight `ReputationSettings.alpha` on
/// the newest observation), so old behaviour decays. A newcomer starts from the prior: promises
/// taken at face value (calibration 1) and the pool's nominal failure odds (`priorFailure`), so it
/// is neither shut out nor trusted blindly.
public struct TrackRecord: Sendable, Hashable, Codable {
    /// One specialist's record for one category.
    public struct Entry: Sendable, Hashable, Codable {
        /// EWMA of delivered ÷ promised time over successful awards (1: keeps its word).
        public var calibration: Double
        /// EWMA of failure (1) or success (0) over concluded awards: failure reports, rollbacks,
        /// refused plans, silences and departures count as failures.
        public var failureRate: Double
        /// EWMA of abandonment (silent past the commitment, or left) over concluded awards.
        public var abandonRate: Double
        /// Observations so far (successes and failures).
        public var observations: Int

        public init(calibration: Double = 1, failureRate: Double, abandonRate: Double = 0, observations: Int = 0) {
            self.calibration = calibration
            self.failureRate = failureRate
            self.abandonRate = abandonRate
            self.observations = observations
        }
    }

    /// Records by specialist name, one entry per category (indexed by `IncidentCategory.rawValue`).
    public var specialists: [String: [Entry]]

    public init(specialists: [String: [Entry]] = [:]) { self.specialists = specialists }

    /// The record of `name` for `category`, or nil if it has none yet.
    public func entry(_ name: String, _ category: IncidentCategory) -> Entry? {
        specialists[name].flatMap { category.rawValue < $0.count ? $0[category.rawValue] : nil }
    }
}

/// How the engine weighs past performance in awards (docs/ENGINE.md, "Reputation").
public struct ReputationSettings: Sendable, Hashable {
    /// Whether awards use the track record; off, the score is the bid's ETA.
    public var enabled = true
    /// Weight of the newest observation in every moving average.
    public var alpha = 0.1
    /// Failure odds assumed for a newcomer.
    public var priorFailure = 0.1
    /// Calibration is clamped to this range, so one freak delivery cannot exclude anyone.
    public var calibrationRange: ClosedRange<Double> = 0.25...8
    /// Calibrations inside this band count as 1: an honest bidder's deliveries scatter around its
    /// promises, and that noise must not reorder equal bids (the fairness tie-breaks decide).
    public var calibrationDeadBand: ClosedRange<Double> = 0.8...1.25
    /// Failure rates up to this much above `priorFailure` count as the prior. A moving average
    /// of a reliable specialist's outcomes jumps by about `alpha` with each failure (from 0.1 to
    /// 0.19 after one), and a record changes only when its owner wins: without the band, one
    /// unlucky failure made a specialist lose every equal bid to its identical peers for the
    /// rest of a storm, so it never won again and its record never recovered. A specialist
    /// that fails a quarter of its tasks or more still pays for it.
    public var failureDeadBand = 0.15
    /// A failed attempt is assumed to cost this fraction of its own time again in rollback.
    public var rollbackShare = 0.5
    /// Whether the engine notes each entry it changes, for a driver that persists the record
    /// (`Auctioneer.takeTrackRecordChanges`); off in the simulator, which keeps it in memory.
    public var journalsChanges = false

    public init() {}
}

/// One specialist×category entry of the track record as it changed, for persisting it.
public struct TrackRecordChange: Sendable, Hashable {
    public var specialist: String
    public var category: IncidentCategory
    public var entry: TrackRecord.Entry

    public init(specialist: String, category: IncidentCategory, entry: TrackRecord.Entry) {
        self.specialist = specialist
        self.category = category
        self.entry = entry
    }
}

extension TrackRecord {
    /// One specialist's record over all categories: each category's moving averages weighted by
    /// its observations. Nil until it has at least one concluded award.
    public struct Overall: Sendable, Hashable {
        /// Delivered ÷ promised time (1 keeps its word).
        public var calibration: Double
        /// 1 − failure rate.
        public var successRate: Double
        public var abandonRate: Double
        /// Concluded awards observed.
        public var observations: Int
    }

    public func overall(_ name: String) -> Overall? {
        Self.overall(specialists[name] ?? [])
    }

    static func overall<C: Collection<Entry>>(_ entries: C) -> Overall? {
        let observations = entries.reduce(0) { $0 + $1.observations }
        guard observations > 0 else { return nil }
        func mean(_ value: (Entry) -> Double) -> Double {
            entries.reduce(0) { $0 + Double($1.observations) * value($1) } / Double(observations)
        }
        return Overall(calibration: mean(\.calibration), successRate: 1 - mean(\.failureRate), abandonRate: mean(\.abandonRate), observations: observations)
    }
}
