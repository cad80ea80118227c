import TenderCore

/// What the HTTP API needs from the running coordinator: the seam the coordinator implements
/// (and `SyntheticBackend` fakes for tests and benchmarks).
///
/// Every method is called on the loop thread. The reads answer at once from state the coordinator
/// already holds (or its read-only store connection); the writes answer through a completion,
/// which the backend must call exactly once, on the loop thread, when the outcome is known
/// (for a submission: once the incidents are durable in the store).
public protocol APIBackend: AnyObject {
    /// Take incidents through the same intake path as the TCP intake.
    func submit(_ submissions: [IncidentSubmission], completion: @escaping (SubmitOutcome) -> Void)
    func incidents(matching query: IncidentQuery) -> IncidentPage
    func timeline(of incident: UInt64) -> IncidentTimeline?
    func specialists() -> [SpecialistStatus]
    /// Award counts per specialist and category, in total and over a recent window.
    func allocation() -> AllocationSnapshot
    func approvals() -> [ApprovalItem]
    func decide(approval id: String, _ decision: ApprovalDecision, actor: String, completion: @escaping (DecisionOutcome) -> Void)
    /// Withdraw open incident `incident` through the coordinator's one cancel path (the intake's
    /// `cancel` op's): its auction ends, a running plan is stopped and rolled back, and it
    /// concludes `cancelled` once. `actor` and `reason` go to the audit log.
    func cancel(incident: UInt64, actor: String, reason: String, completion: @escaping (CancelOutcome) -> Void)
    func readiness() -> Readiness
    /// The latest auctions, newest first.
    func recentAuctions(limit: Int) -> [AuctionSummary]
    /// The latest executions, newest first.
    func recentExecutions(limit: Int) -> [ExecutionSummary]
}

/// How a submission ended.
public enum SubmitOutcome: Sendable, Hashable {
    /// Durable: one entry per draft, in order.
    case accepted([AcceptedIncident])
    /// Admission refused them all; the client should retry after the given seconds.
    case overloaded(retryAfterSeconds: Int, reason: String)
    /// The coordinator could not take them (store failure, shutting down).
    case unavailable(reason: String)
    /// Refused for good by intake's own checks (a 400 naming the field).
    case invalid(FieldErrors)
}

public struct AcceptedIncident: Codable, Sendable, Hashable {
    public var id: UInt64
    public var reference: String?
    public init(id: UInt64, reference: String?) {
        self.id = id
        self.reference = reference
    }
}

/// How an approval decision ended.
public enum DecisionOutcome: Sendable, Hashable {
    /// Recorded durably; the item as it now stands.
    case recorded(ApprovalItem)
    case notFound
    /// Already decided (or expired): the item as it stands.
    case alreadyDecided(ApprovalItem)
    case unavailable(reason: String)
}

/// Awards per specialist and category: what fairness is computed from.
public struct AllocationSnapshot: Sendable, Hashable {
    public struct Row: Sendable, Hashable {
        public var name: String
        /// Skill per category (0...1).
        public var skills: PerCategory<Double>
        public var capacity: Int
        /// Awards since start, per category.
        public var wins: PerCategory<Int>
        /// Awards within the last `windowSeconds`, per category.
        public var windowWins: PerCategory<Int>
        public init(name: String, skills: PerCategory<Double>, capacity: Int, wins: PerCategory<Int>, windowWins: PerCategory<Int>) {
            self.name = name
            self.skills = skills
            self.capacity = capacity
            self.wins = wins
            self.windowWins = windowWins
        }
    }

    public var rows: [Row]
    public var windowSeconds: Double
    public init(rows: [Row], windowSeconds: Double) {
        self.rows = rows
        self.windowSeconds = windowSeconds
    }
}
