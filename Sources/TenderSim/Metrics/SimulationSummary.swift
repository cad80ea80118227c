import TenderCore

/// The outcome of one simulation run: the `--json` object of `tender simulate`.
public struct SimulationSummary: Sendable, Codable {
    public var scenario: String
    public var allocator: String
    public var policy: String?
    public var seed: UInt64
    /// Incidents that arrived after the warm-up, and how they ended.
    public var incidents: Int
    public var resolved: Int
    public var escalated: Int
    public var cancelled: Int
    /// Still open when the run stopped.
    public var open: Int
    public var meanWaitSeconds: Double
    public var meanTTRSeconds: Double
    public var p50TTRSeconds: Double
    public var p95TTRSeconds: Double
    public var p99TTRSeconds: Double
    /// Concluded incidents not resolved by their SLA deadline (escalations count as breaches).
    public var slaBreachRate: Double
    /// The same per severity, over the concluded incidents of that severity (0 when none).
    public var slaBreachRateBySeverity: SeverityRates
    /// Mean TTR if every measured incident were served at once, with no failure, by the specialist
    /// with the shortest expected service time for it (its best-skilled one): that expected time,
    /// averaged over the incidents that arrived after the warm-up. The same for every allocator on
    /// the same storm, so each report shows how far an allocation is from it.
    public var ttrLowerBoundSeconds: Double
    /// Jain's index and Gini over capability-normalised work.
    public var jainIndex: Double
    public var gini: Double
    /// Busy slot-time over present slot-time, per specialist.
    public var utilization: [String: Double]
    public var meanUtilization: Double
    /// Per specialist, from the engine's track record at the end of the run (docs/ENGINE.md,
    /// "Reputation"): delivered ÷ promised time (1 keeps its word, 3 takes three times as long as
    /// it bid), and the share of its concluded awards that failed. Moving averages (newest
    /// observation weighted `ReputationSettings.alpha`) over its categories, weighted by how many
    /// awards each saw; nil (JSON null) for a specialist that never concluded an award.
    public var calibration: [String: Double?] = [:]
    public var failureRate: [String: Double?] = [:]
    public var messagesPerIncident: Double
    public var messages: Int
    public var rollbacks: Int
    /// Re-announcements after a failed attempt.
    public var retries: Int
    public var simulatedSeconds: Double
    public var wallSeconds: Double
    /// Incidents (warm-up included) simulated per second of wall-clock time.
    public var simIncidentsPerSecond: Double
    public var events: Int

    enum CodingKeys: String, CodingKey {
        case scenario, allocator, policy, seed, incidents, resolved, escalated, cancelled, open
        case meanWaitSeconds = "mean_wait_s"
        case meanTTRSeconds = "mean_ttr_s"
        case p50TTRSeconds = "p50_ttr_s"
        case p95TTRSeconds = "p95_ttr_s"
        case p99TTRSeconds = "p99_ttr_s"
        case slaBreachRate = "sla_breach_rate"
        case slaBreachRateBySeverity = "sla_breach_rate_by_severity"
        case ttrLowerBoundSeconds = "ttr_lower_bound_s"
        case jainIndex = "jain_index"
        case gini, utilization
        case meanUtilization = "mean_utilization"
        case calibration
        case failureRate = "failure_rate"
        case messagesPerIncident = "messages_per_incident"
        case messages, rollbacks, retries
        case simulatedSeconds = "simulated_s"
        case wallSeconds = "wall_s"
        case simIncidentsPerSecond = "sim_incidents_per_s"
        case events
    }
}

/// One rate per incident severity.
public struct SeverityRates: Sendable, Codable, Hashable {
    public var critical: Double
    public var high: Double
    public var medium: Double
    public var low: Double

    public init(critical: Double, high: Double, medium: Double, low: Double) {
        self.critical = critical
        self.high = high
        self.medium = medium
        self.low = low
    }

    public subscript(severity: Severity) -> Double {
        switch severity {
        case .critical: critical
        case .high: high
        case .medium: medium
        case .low: low
        }
    }
}

/// A run's summary plus what the HTML report draws.
public struct SimulationResult: Sendable {
    public var summary: SimulationSummary
    /// (seconds, percentile) points of the time-to-resolve distribution.
    public var ttrDistribution: [(seconds: Double, percentile: Double)]
    public var series: TimeSeries
    public var specialistNames: [String]
    /// Awards per specialist and category: `allocation[specialist][category]`.
    public var allocation: [[Int]]
    /// Why the run stopped before the scenario's end (too many incidents open), if it did.
    public var stoppedEarly: String?
    /// Each specialist's measured work ÷ its capability (by `SpecialistID.index`): the values
    /// the capability-normalised Jain index is taken over.
    public var fairnessValues: [Double] = []
    /// The mean wait of every measured incident, exact (not from the histogram): for validation.
    public var meanWait: Double { summary.meanWaitSeconds }
}
