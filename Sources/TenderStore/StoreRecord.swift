/// One durable fact, as the loop hands it to the writer thread. Times are Unix seconds; ids of
/// executions, approvals, sessions and pages are chosen by the caller (from `StoreIDs`) so the
/// loop knows them before the write is durable.
public enum StoreRecord: Sendable, Hashable {
    /// An incident as intake accepted it (`body` is its JSON).
    case incident(id: UInt64, body: String)
    case incidentConcluded(id: UInt64, status: String, resolvedBy: String?, plan: String?, at: Double)
    /// A call for proposals went out for one round.
    case auctionOpened(incident: UInt64, round: Int, at: Double, closesAt: Double?, invited: [String])
    /// A proposal (`value`) or a refusal (`refusal`); `late` if it came after the deadline.
    case bid(incident: UInt64, round: Int, specialist: String, value: Double?, refusal: String?, late: Bool, at: Double)
    /// The winning bid and why: its raw value, the calibration correction, the expected failure
    /// cost, the final score, the deciding rule, and every proposal of the round scored.
    case award(AwardRecord)
    /// A specialist's track record for one category, as it now stands (replaces the last).
    case trackRecord(TrackRecordRow)
    /// `plan` is the validated plan's JSON; `steps` the same steps in columns, for recovery.
    case executionStarted(id: Int64, incident: UInt64, specialist: String, playbook: String, plan: String, dryRun: Bool, at: Double, steps: [StoredPlanStep] = [])
    /// Written and durable before the step (or its undo) runs.
    case stepIntent(StepIntentRecord)
    case stepResult(execution: Int64, step: Int, phase: String, attempt: Int, result: String, exitStatus: Int?, output: String, at: Double)
    case executionFinished(id: Int64, outcome: String, reason: String?, at: Double)
    case approvalRequested(ApprovalRequestRecord)
    /// A decision taken in this process (a timeout, a supersession); people decide through `ApprovalDesk`.
    case approvalDecided(id: Int64, decision: String, by: String, reason: String?, at: Double)
    case sessionOpened(id: Int64, specialist: String, kind: String, peer: String?, at: Double)
    case sessionClosed(id: Int64, reason: String, at: Double)
    case pageQueued(id: Int64, incident: UInt64, payload: String, at: Double)
    case pageAttempted(id: Int64, error: String?, at: Double)
    case audit(AuditRecord)
}

/// The write-ahead half of a step: what is about to run, with what, and how to undo it.
public struct StepIntentRecord: Sendable, Hashable {
    public var execution: Int64
    /// 0-based index into the plan's steps.
    public var step: Int
    /// `apply` or `undo`.
    public var phase: String
    public var attempt: Int
    public var action: String
    /// The typed parameters, as JSON.
    public var params: String
    public var undo: String
    public var idempotent: Bool
    public var at: Double

    public init(execution: Int64, step: Int, phase: String, attempt: Int, action: String, params: String, undo: String, idempotent: Bool, at: Double) {
        self.execution = execution
        self.step = step
        self.phase = phase
        self.attempt = attempt
        self.action = action
        self.params = params
        self.undo = undo
        self.idempotent = idempotent
        self.at = at
    }
}

/// A step waiting for a person.
public struct ApprovalRequestRecord: Sendable, Hashable {
    public var id: Int64
    public var execution: Int64
    public var incident: UInt64
    public var step: Int
    public var action: String
    public var risk: String
    public var params: String
    public var at: Double
    public var deadline: Double

    public init(id: Int64, execution: Int64, incident: UInt64, step: Int, action: String, risk: String, params: String, at: Double, deadline: Double) {
        self.id = id
        self.execution = execution
        self.incident = incident
        self.step = step
        self.action = action
        self.risk = risk
        self.params = params
        self.at = at
        self.deadline = deadline
    }
}

/// One line of the append-only audit log: who did what, when, and why.
public struct AuditRecord: Sendable, Hashable, Codable {
    public var at: Double
    public var actor: String
    public var incident: UInt64?
    public var execution: Int64?
    public var what: String
    public var why: String

    public init(at: Double, actor: String, incident: UInt64? = nil, execution: Int64? = nil, what: String, why: String) {
        self.at = at
        self.actor = actor
        self.incident = incident
        self.execution = execution
        self.what = what
        self.why = why
    }
}

extension StoreRecord {
    /// Write this record through `database` (inside the writer's transaction).
    func write(to database: Database) throws(StoreFailure) {
        switch self {
        case .incident(let id, let body):
            try database.run("INSERT OR IGNORE INTO incidents (id, body) VALUES (?, ?)", [.integer(Int64(id)), .text(body)])
        case .incidentConcluded(let id, let status, let resolvedBy, let plan, let at):
            try database.run("UPDATE incidents SET status = ?, resolved_by = ?, plan = ?, concluded_at = ? WHERE id = ?",
                             [.text(status), .optional(resolvedBy), .optional(plan), .real(at), .integer(Int64(id))])
        case .auctionOpened(let incident, let round, let at, let closesAt, let invited):
            try database.run("INSERT OR REPLACE INTO auctions (incident, round, opened_at, closes_at, invited) VALUES (?, ?, ?, ?, ?)",
                             [.integer(Int64(incident)), .integer(Int64(round)), .real(at), .optional(closesAt), .text(invited.joined(separator: ","))])
        case .bid(let incident, let round, let specialist, let value, let refusal, let late, let at):
            try database.run("INSERT INTO bids (incident, round, specialist, value, refusal, late, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                             [.integer(Int64(incident)), .integer(Int64(round)), .text(specialist), .optional(value), .optional(refusal), .integer(late ? 1 : 0), .real(at)])
        case .award(let award):
            try award.write(to: database)
        case .trackRecord(let row):
            try row.write(to: database)
        case .executionStarted(let id, let incident, let specialist, let playbook, let plan, let dryRun, let at, let steps):
            try database.run("INSERT INTO executions (id, incident, specialist, playbook, plan, dry_run, started_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                             [.integer(id), .integer(Int64(incident)), .text(specialist), .text(playbook), .text(plan), .integer(dryRun ? 1 : 0), .real(at)])
            try StoredPlanStep.write(steps, execution: id, to: database)
        case .stepIntent(let intent):
            try database.run("INSERT INTO steps (execution, step, phase, attempt, action, params, undo, idempotent, intent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             [.integer(intent.execution), .integer(Int64(intent.step)), .text(intent.phase), .integer(Int64(intent.attempt)),
                              .text(intent.action), .text(intent.params), .text(intent.undo), .integer(intent.idempotent ? 1 : 0), .real(intent.at)])
        case .stepResult(let execution, let step, let phase, let attempt, let result, let exitStatus, let output, let at):
            try database.run("UPDATE steps SET result = ?, exit_status = ?, output = ?, result_at = ? WHERE execution = ? AND step = ? AND phase = ? AND attempt = ?",
                             [.text(result), .optional(exitStatus.map(Int64.init)), .text(output), .real(at), .integer(execution), .integer(Int64(step)), .text(phase), .integer(Int64(attempt))])
        case .executionFinished(let id, let outcome, let reason, let at):
            try database.run("UPDATE executions SET outcome = ?, reason = ?, finished_at = ? WHERE id = ? AND outcome IS NULL",
                             [.text(outcome), .optional(reason), .real(at), .integer(id)])
        case .approvalRequested(let request):
            try database.run("INSERT INTO approvals (id, execution, incident, step, action, risk, params, requested_at, deadline) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             [.integer(request.id), .integer(request.execution), .integer(Int64(request.incident)), .integer(Int64(request.step)),
                              .text(request.action), .text(request.risk), .text(request.params), .real(request.at), .real(request.deadline)])
        case .approvalDecided(let id, let decision, let by, let reason, let at):
            // First decision wins: a person's approval and a timeout may race.
            try database.run("UPDATE approvals SET decision = ?, decided_by = ?, reason = ?, decided_at = ? WHERE id = ? AND decision IS NULL",
                             [.text(decision), .text(by), .optional(reason), .real(at), .integer(id)])
        case .sessionOpened(let id, let specialist, let kind, let peer, let at):
            try database.run("INSERT OR REPLACE INTO sessions (id, specialist, kind, peer, opened_at) VALUES (?, ?, ?, ?, ?)",
                             [.integer(id), .text(specialist), .text(kind), .optional(peer), .real(at)])
        case .sessionClosed(let id, let reason, let at):
            try database.run("UPDATE sessions SET closed_at = ?, close_reason = ? WHERE id = ?", [.real(at), .text(reason), .integer(id)])
        case .pageQueued(let id, let incident, let payload, let at):
            try database.run("INSERT OR IGNORE INTO pages (id, incident, payload, created_at) VALUES (?, ?, ?, ?)",
                             [.integer(id), .integer(Int64(incident)), .text(payload), .real(at)])
        case .pageAttempted(let id, let error, let at):
            if let error {
                try database.run("UPDATE pages SET attempts = attempts + 1, last_error = ? WHERE id = ?", [.text(error), .integer(id)])
            } else {
                try database.run("UPDATE pages SET attempts = attempts + 1, last_error = NULL, delivered_at = ? WHERE id = ?", [.real(at), .integer(id)])
            }
        case .audit(let entry):
            try AuditLog.append(entry, to: database)
        }
    }
}

/// The append-only audit log (triggers refuse UPDATE and DELETE).
public enum AuditLog {
    public static func append(_ entry: AuditRecord, to database: Database) throws(StoreFailure) {
        try database.run("INSERT INTO audit (at, actor, incident, execution, what, why) VALUES (?, ?, ?, ?, ?, ?)",
                         [.real(entry.at), .text(entry.actor), .optional(entry.incident.map(Int64.init)), .optional(entry.execution), .text(entry.what), .text(entry.why)])
    }
}
