/// The store's side of reputation: each award with every proposal as it was scored, and each
/// specialist's track record per category, kept current as awards end so a restarted
/// coordinator weighs bids as the one before it did.

/// An award as the engine explained it (`AwardExplanation`), names resolved.
public struct AwardRecord: Sendable, Hashable {
    public var incident: UInt64
    public var round: Int
    public var specialist: String
    /// The winner's raw bid (promised seconds); 0 for a direct assignment.
    public var rawBid: Double
    /// The calibration the bid was multiplied by.
    public var correction: Double
    /// Seconds added for the odds of failure above the prior.
    public var failureCost: Double
    public var score: Double
    /// What separated the winner from the runner-up (`AwardExplanation.Decider` raw value), nil
    /// for a direct assignment.
    public var decider: String?
    /// The same, in words.
    public var why: String
    public var at: Double
    /// Every proposal of the round, scored.
    public var bids: [ScoredBidRecord]

    public init(incident: UInt64, round: Int, specialist: String, rawBid: Double, correction: Double, failureCost: Double, score: Double,
                decider: String?, why: String, at: Double, bids: [ScoredBidRecord]) {
        self.incident = incident
        self.round = round
        self.specialist = specialist
        self.rawBid = rawBid
        self.correction = correction
        self.failureCost = failureCost
        self.score = score
        self.decider = decider
        self.why = why
        self.at = at
        self.bids = bids
    }
}

/// One proposal of an awarded round as the award rule scored it.
public struct ScoredBidRecord: Sendable, Hashable, Codable {
    public var specialist: String
    public var rawBid: Double
    public var confidence: Double
    public var correction: Double
    public var failureCost: Double
    public var score: Double
    /// False when the bidder had no free slot as the round closed.
    public var considered: Bool

    public init(specialist: String, rawBid: Double, confidence: Double, correction: Double, failureCost: Double, score: Double, considered: Bool) {
        self.specialist = specialist
        self.rawBid = rawBid
        self.confidence = confidence
        self.correction = correction
        self.failureCost = failureCost
        self.score = score
        self.considered = considered
    }
}

/// One specialist's track record for one category: the engine's moving averages, whose values
/// are their whole decay state (each new observation weighs `alpha`, the past `1 − alpha`).
public struct TrackRecordRow: Sendable, Hashable, Codable {
    public var specialist: String
    /// The category's name (`security`, `performance`, `network`, `database`).
    public var category: String
    public var calibration: Double
    public var failureRate: Double
    public var abandonRate: Double
    public var observations: Int
    public var updatedAt: Double

    public init(specialist: String, category: String, calibration: Double, failureRate: Double, abandonRate: Double, observations: Int, updatedAt: Double) {
        self.specialist = specialist
        self.category = category
        self.calibration = calibration
        self.failureRate = failureRate
        self.abandonRate = abandonRate
        self.observations = observations
        self.updatedAt = updatedAt
    }
}

extension Schema {
    /// Track records per specialist and category (replaced as they change), and the award's
    /// explanation: the expected failure cost and the deciding rule on `awards`, every scored
    /// proposal in `award_bids`.
    static let trackRecords = Migration("0005_track_records", """
        CREATE TABLE track_records (
            specialist TEXT NOT NULL,
            category TEXT NOT NULL,
            calibration REAL NOT NULL,
            failure_rate REAL NOT NULL,
            abandon_rate REAL NOT NULL,
            observations INTEGER NOT NULL,
            updated_at REAL NOT NULL,
            PRIMARY KEY (specialist, category)
        ) WITHOUT ROWID;
        ALTER TABLE awards ADD COLUMN failure_cost REAL NOT NULL DEFAULT 0;
        ALTER TABLE awards ADD COLUMN decider TEXT;
        CREATE TABLE award_bids (
            incident INTEGER NOT NULL,
            round INTEGER NOT NULL,
            specialist TEXT NOT NULL,
            raw_bid REAL NOT NULL,
            confidence REAL NOT NULL,
            correction REAL NOT NULL,
            failure_cost REAL NOT NULL,
            score REAL NOT NULL,
            considered INTEGER NOT NULL,
            PRIMARY KEY (incident, round, specialist)
        ) WITHOUT ROWID;
        """)
}

extension AwardRecord {
    func write(to database: Database) throws(StoreFailure) {
        try database.run("INSERT OR REPLACE INTO awards (incident, round, specialist, raw_bid, correction, failure_cost, score, decider, why, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         [.integer(Int64(incident)), .integer(Int64(round)), .text(specialist), .real(rawBid), .real(correction), .real(failureCost),
                          .real(score), .optional(decider), .text(why), .real(at)])
        for bid in bids {
            try database.run("INSERT OR REPLACE INTO award_bids (incident, round, specialist, raw_bid, confidence, correction, failure_cost, score, considered) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             [.integer(Int64(incident)), .integer(Int64(round)), .text(bid.specialist), .real(bid.rawBid), .real(bid.confidence),
                              .real(bid.correction), .real(bid.failureCost), .real(bid.score), .integer(bid.considered ? 1 : 0)])
        }
    }
}

extension TrackRecordRow {
    func write(to database: Database) throws(StoreFailure) {
        try database.run("INSERT OR REPLACE INTO track_records (specialist, category, calibration, failure_rate, abandon_rate, observations, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                         [.text(specialist), .text(category), .real(calibration), .real(failureRate), .real(abandonRate), .integer(Int64(observations)), .real(updatedAt)])
    }
}

extension StoreReader {
    /// Every stored track record entry, by specialist then category.
    public func trackRecords() throws(StoreFailure) -> [TrackRecordRow] {
        try database.rows("SELECT specialist, category, calibration, failure_rate, abandon_rate, observations, updated_at FROM track_records ORDER BY specialist, category").map { row in
            TrackRecordRow(specialist: row.text(0) ?? "", category: row.text(1) ?? "", calibration: row.real(2) ?? 1, failureRate: row.real(3) ?? 0,
                           abandonRate: row.real(4) ?? 0, observations: Int(row.integer(5) ?? 0), updatedAt: row.real(6) ?? 0)
        }
    }
}
