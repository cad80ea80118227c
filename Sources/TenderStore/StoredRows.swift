/// Rows read back from the store for history, timelines and recovery. Codable so the CLI prints
/// them as JSON (with snake_case keys).

/// One step-log row: the intent, and the result once there is one.
public struct StepLogEntry: Sendable, Hashable, Codable {
    public var step: Int
    public var phase: String
    public var attempt: Int
    public var action: String
    public var params: String
    public var undo: String
    public var idempotent: Bool
    public var intentAt: Double
    /// `succeeded`, `failed`, `timed_out`; nil while the step runs (or if the process died).
    public var result: String?
    public var exitStatus: Int?
    public var output: String?
    public var resultAt: Double?

    public init(step: Int, phase: String, attempt: Int, action: String, params: String, undo: String, idempotent: Bool, intentAt: Double,
                result: String? = nil, exitStatus: Int? = nil, output: String? = nil, resultAt: Double? = nil) {
        self.step = step
        self.phase = phase
        self.attempt = attempt
        self.action = action
        self.params = params
        self.undo = undo
        self.idempotent = idempotent
        self.intentAt = intentAt
        self.result = result
        self.exitStatus = exitStatus
        self.output = output
        self.resultAt = resultAt
    }
}

/// An execution and its step log.
public struct ExecutionLog: Sendable, Hashable, Codable {
    public var id: Int64
    public var incident: UInt64
    public var specialist: String
    public var playbook: String
    /// The validated plan, as JSON.
    public var plan: String
    public var dryRun: Bool
    public var startedAt: Double
    /// `applied`, `rolled_back`, `refused`; nil while in flight.
    public var outcome: String?
    public var reason: String?
    public var finishedAt: Double?
    public var steps: [StepLogEntry]
    /// The plan in columns (empty for executions recorded before `0004_execution_recovery`:
    /// read `plan` then). Not part of the JSON form, which has `plan`.
    public var planSteps: [StoredPlanStep] = []

    enum CodingKeys: String, CodingKey {
        case id, incident, specialist, playbook, plan, dryRun, startedAt, outcome, reason, finishedAt, steps
    }
}

public struct BidRow: Sendable, Hashable, Codable {
    public var round: Int
    public var specialist: String
    public var value: Double?
    public var refusal: String?
    public var late: Bool
    public var at: Double
}

public struct AuctionRow: Sendable, Hashable, Codable {
    public var round: Int
    public var openedAt: Double
    public var closesAt: Double?
    public var invited: [String]
}

public struct AwardRow: Sendable, Hashable, Codable {
    public var round: Int
    public var specialist: String
    public var rawBid: Double
    /// The calibration the raw bid was multiplied by.
    public var correction: Double
    /// Seconds added for the odds of failure above the prior.
    public var failureCost: Double
    public var score: Double
    /// `AwardExplanation.Decider`'s raw value; nil for awards stored before it was recorded.
    public var decider: String?
    public var why: String
    public var at: Double
    /// Every proposal of the round as scored, lowest score first.
    public var bids: [ScoredBidRecord]
}

public struct ApprovalRow: Sendable, Hashable, Codable {
    public var id: Int64
    public var execution: Int64
    public var incident: UInt64
    /// 0-based step index.
    public var step: Int
    public var action: String
    public var risk: String
    public var params: String
    public var requestedAt: Double
    public var deadline: Double
    /// `approved`, `denied`, `timed_out`, `superseded`; nil while waiting.
    public var decision: String?
    public var decidedBy: String?
    public var reason: String?
    public var decidedAt: Double?
}

public struct PageRow: Sendable, Hashable, Codable {
    public var id: Int64
    public var incident: UInt64
    public var payload: String
    public var createdAt: Double
    public var attempts: Int
    public var lastError: String?
    public var deliveredAt: Double?
}

public struct AuditRow: Sendable, Hashable, Codable {
    public var seq: Int64
    public var at: Double
    public var actor: String
    public var incident: UInt64?
    public var execution: Int64?
    public var what: String
    public var why: String
}

/// One line of `tender history`.
public struct IncidentSummary: Sendable, Hashable, Codable {
    public struct Execution: Sendable, Hashable, Codable {
        public var id: Int64
        public var specialist: String
        public var outcome: String?
    }

    public var id: UInt64
    /// `open` until concluded; then `resolved`, `escalated` or `cancelled`.
    public var state: String
    /// The incident as intake accepted it (JSON).
    public var body: String
    public var resolvedBy: String?
    public var concludedAt: Double?
    /// When intake accepted it (Unix seconds), if the store recorded it.
    public var receivedAt: Double?
    public var executions: [Execution]
    /// The sender's idempotency key (read for one incident's timeline only).
    public var reference: String? = nil
}

/// Everything the store knows about one incident, for `tender show`.
public struct IncidentTimeline: Sendable, Hashable, Codable {
    public var incident: IncidentSummary
    public var auctions: [AuctionRow]
    public var bids: [BidRow]
    public var awards: [AwardRow]
    public var executions: [ExecutionLog]
    public var approvals: [ApprovalRow]
    public var pages: [PageRow]
    public var audit: [AuditRow]
}

/// The largest id of each caller-assigned kind, so a restarted process continues after them.
public struct StoreIDs: Sendable, Hashable {
    public var incident: UInt64
    public var execution: Int64
    public var approval: Int64
    public var session: Int64
    public var page: Int64

    public init(incident: UInt64 = 0, execution: Int64 = 0, approval: Int64 = 0, session: Int64 = 0, page: Int64 = 0) {
        self.incident = incident
        self.execution = execution
        self.approval = approval
        self.session = session
        self.page = page
    }
}
