import Foundation

/// The observation as the fixed-length feature vector a learned policy reads. One definition,
/// so training (simulator) and serving (live agent) cannot drift apart. Times are in log
/// minutes so seconds-to-hours fit one scale; categories, severities and kinds are one-hot.
extension Observation {
    /// Length of `features`: 4 category + 4 severity + 4 kind one-hots, then 12 numbers.
    public static let featureCount = 24

    /// Names of the features in order, for checkpoints and docs.
    public static let featureNames: [String] =
        IncidentCategory.allCases.map { "category_\($0.name)" } + Severity.allCases.map { "severity_\($0.name)" }
        + SpecialistKind.allCases.map { "kind_\($0.rawValue)" }
        + [
            "log_age_min", "signed_log_slack_min", "skill", "log_expected_service_min", "utilisation",
            "log_capacity", "queue_per_slot", "recent_win_rate", "log_storm_intensity", "log_honest_eta_min",
            "eta_over_slack", "log_invited",
        ]

    /// Writes the features to `out[0..<featureCount]`; allocates nothing.
    @inlinable
    public func writeFeatures(to out: UnsafeMutablePointer<Double>) {
        for index in 0..<12 { out[index] = 0 }
        out[category.rawValue] = 1
        out[4 + severity.rawValue] = 1
        out[8 + Self.kindIndex(kind)] = 1
        let eta = honestETA
        out[12] = Self.logMinutes(age)
        out[13] = slackToSLA < 0 ? -Self.logMinutes(-slackToSLA) : Self.logMinutes(slackToSLA)
        out[14] = skill
        out[15] = Self.logMinutes(expectedService)
        out[16] = min(utilisation, 4)
        out[17] = log(Double(max(capacity, 1)))
        out[18] = min(Double(queue) / Double(max(capacity, 1)), 4)
        out[19] = recentWinRate
        out[20] = log(min(max(stormIntensity, 0.05), 50))
        out[21] = eta.isFinite ? Self.logMinutes(eta) : 10
        // How much of the time left the honest bid would use: above 1 the SLA is lost.
        out[22] = eta.isFinite ? min(eta / max(slackToSLA, 1), 10) : 10
        // Whether others can take the work if this bidder refuses (0 when it is alone).
        out[23] = log(Double(min(max(invited, 1), 1000)))
    }

    /// The features as a new array (tests, tools; the hot path uses `writeFeatures`).
    public var features: [Double] {
        [Double](unsafeUninitializedCapacity: Self.featureCount) { buffer, count in
            writeFeatures(to: buffer.baseAddress!)
            count = Self.featureCount
        }
    }

    @inlinable @inline(__always)
    static func logMinutes(_ seconds: Double) -> Double { log1p(max(seconds, 0) / 60) }

    @inlinable @inline(__always)
    static func kindIndex(_ kind: SpecialistKind) -> Int {
        switch kind {
        case .security: 0
        case .performance: 1
        case .network: 2
        case .database: 3
        }
    }
}
