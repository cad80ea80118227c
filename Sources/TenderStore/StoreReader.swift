/// Queries over the store: history, one incident's timeline, and what recovery needs (executions
/// in flight, approvals waiting, pages not delivered). Uses its own connection; safe to open
/// while a coordinator writes (WAL readers do not block the writer).
public final class StoreReader {
    public let database: Database

    /// Open an existing store; migrations are applied so an older file reads with today's queries.
    public init(path: String) throws(StoreFailure) {
        database = try Database(path: path, create: false)
        try Migrator.migrate(database)
    }

    public init(database: Database) { self.database = database }

    public func ids() throws(StoreFailure) -> StoreIDs {
        func maximum(_ sql: String) throws(StoreFailure) -> Int64 { try database.rows(sql).first?.integer(0) ?? 0 }
        return StoreIDs(
            incident: UInt64(try maximum("SELECT COALESCE(MAX(id), 0) FROM incidents")),
            execution: try maximum("SELECT COALESCE(MAX(id), 0) FROM executions"),
            approval: try maximum("SELECT COALESCE(MAX(id), 0) FROM approvals"),
            session: try maximum("SELECT COALESCE(MAX(id), 0) FROM sessions"),
            page: try maximum("SELECT COALESCE(MAX(id), 0) FROM pages"))
    }

    /// Incidents, newest first, optionally only those in `state`.
    public func history(state: String? = nil, limit: Int = 1000) throws(StoreFailure) -> [IncidentSummary] {
        let rows: [Row]
        if let state {
            rows = try database.rows("SELECT id, status, body, resolved_by, concluded_at, \(Self.receivedAt) FROM incidents WHERE status = ? ORDER BY id DESC LIMIT ?", [.text(state), .integer(Int64(limit))])
        } else {
            rows = try database.rows("SELECT id, status, body, resolved_by, concluded_at, \(Self.receivedAt) FROM incidents ORDER BY id DESC LIMIT ?", [.integer(Int64(limit))])
        }
        var summaries: [IncidentSummary] = []
        for row in rows { summaries.append(try summary(row)) }
        return summaries
    }

    public func timeline(incident id: UInt64) throws(StoreFailure) -> IncidentTimeline? {
        let key: [SQLValue] = [.integer(Int64(id))]
        guard let row = try database.rows("SELECT id, status, body, resolved_by, concluded_at, \(Self.receivedAt) FROM incidents WHERE id = ?", key).first else { return nil }
        let auctions = try database.rows("SELECT round, opened_at, closes_at, invited FROM auctions WHERE incident = ? ORDER BY round", key).map { row in
            AuctionRow(round: Int(row.integer(0) ?? 0), openedAt: row.real(1) ?? 0, closesAt: row.real(2),
                       invited: (row.text(3) ?? "").split(separator: ",").map(String.init))
        }
        let bids = try database.rows("SELECT round, specialist, value, refusal, late, at FROM bids WHERE incident = ? ORDER BY round, at, id", key).map { row in
            BidRow(round: Int(row.integer(0) ?? 0), specialist: row.text(1) ?? "", value: row.real(2), refusal: row.text(3), late: row.integer(4) == 1, at: row.real(5) ?? 0)
        }
        var scored: [Int: [ScoredBidRecord]] = [:]
        for row in try database.rows("SELECT round, specialist, raw_bid, confidence, correction, failure_cost, score, considered FROM award_bids WHERE incident = ? ORDER BY round, score, specialist", key) {
            scored[Int(row.integer(0) ?? 0), default: []].append(ScoredBidRecord(
                specialist: row.text(1) ?? "", rawBid: row.real(2) ?? 0, confidence: row.real(3) ?? 0, correction: row.real(4) ?? 1,
                failureCost: row.real(5) ?? 0, score: row.real(6) ?? 0, considered: row.integer(7) == 1))
        }
        let awards = try database.rows("SELECT round, specialist, raw_bid, correction, score, why, at, failure_cost, decider FROM awards WHERE incident = ? ORDER BY round", key).map { row in
            let round = Int(row.integer(0) ?? 0)
            return AwardRow(round: round, specialist: row.text(1) ?? "", rawBid: row.real(2) ?? 0, correction: row.real(3) ?? 0,
                            failureCost: row.real(7) ?? 0, score: row.real(4) ?? 0, decider: row.text(8), why: row.text(5) ?? "", at: row.real(6) ?? 0,
                            bids: scored[round] ?? [])
        }
        let executions = try executionLogs(where: "incident = ?", key)
        let approvals = try approvalRows(where: "incident = ?", key)
        let pages = try database.rows("SELECT id, incident, payload, created_at, attempts, last_error, delivered_at FROM pages WHERE incident = ? ORDER BY id", key).map(Self.page)
        let audit = try database.rows("SELECT seq, at, actor, incident, execution, what, why FROM audit WHERE incident = ? ORDER BY seq", key).map { row in
            AuditRow(seq: row.integer(0) ?? 0, at: row.real(1) ?? 0, actor: row.text(2) ?? "", incident: row.integer(3).map(UInt64.init),
                     execution: row.integer(4), what: row.text(5) ?? "", why: row.text(6) ?? "")
        }
        var incident = try summary(row)
        incident.reference = try database.rows("SELECT ref FROM incident_refs WHERE incident = ? LIMIT 1", key).first?.text(0)
        return IncidentTimeline(incident: incident, auctions: auctions, bids: bids, awards: awards,
                                executions: executions, approvals: approvals, pages: pages, audit: audit)
    }

    /// Executions with no outcome: what a restart must finish, with their step logs.
    public func executionsInFlight() throws(StoreFailure) -> [ExecutionLog] {
        try executionLogs(where: "outcome IS NULL", [])
    }

    public func pendingApprovals() throws(StoreFailure) -> [ApprovalRow] {
        try approvalRows(where: "decision IS NULL", [])
    }

    public func approval(id: Int64) throws(StoreFailure) -> ApprovalRow? {
        try approvalRows(where: "id = ?", [.integer(id)]).first
    }

    public func undeliveredPages() throws(StoreFailure) -> [PageRow] {
        try database.rows("SELECT id, incident, payload, created_at, attempts, last_error, delivered_at FROM pages WHERE delivered_at IS NULL ORDER BY id").map(Self.page)
    }

    // MARK: Row mapping

    private func summary(_ row: Row) throws(StoreFailure) -> IncidentSummary {
        let id = row.integer(0) ?? 0
        let executions = try database.rows("SELECT id, specialist, outcome FROM executions WHERE incident = ? ORDER BY id", [.integer(id)]).map { row in
            IncidentSummary.Execution(id: row.integer(0) ?? 0, specialist: row.text(1) ?? "", outcome: row.text(2))
        }
        return IncidentSummary(id: UInt64(id), state: row.text(1) ?? "open", body: row.text(2) ?? "{}",
                               resolvedBy: row.text(3), concludedAt: row.real(4), receivedAt: row.real(5), executions: executions)
    }

    /// When intake accepted the incident (wall clock): the audit line written in the same
    /// transaction as the incident. The incident's own `createdAt` is the coordinator's engine
    /// time, which means nothing to a reader and restarts at each start.
    static let receivedAt = "(SELECT MIN(a.at) FROM audit a WHERE a.incident = incidents.id)"

    private func executionLogs(where condition: String, _ values: [SQLValue]) throws(StoreFailure) -> [ExecutionLog] {
        var logs: [ExecutionLog] = []
        var index: [Int64: Int] = [:]
        for row in try database.rows("SELECT id, incident, specialist, playbook, plan, dry_run, started_at, outcome, reason, finished_at FROM executions WHERE \(condition) ORDER BY id", values) {
            let id = row.integer(0) ?? 0
            index[id] = logs.count
            logs.append(ExecutionLog(id: id, incident: UInt64(row.integer(1) ?? 0), specialist: row.text(2) ?? "", playbook: row.text(3) ?? "",
                                     plan: row.text(4) ?? "", dryRun: row.integer(5) == 1, startedAt: row.real(6) ?? 0,
                                     outcome: row.text(7), reason: row.text(8), finishedAt: row.real(9), steps: []))
        }
        guard !logs.isEmpty else { return [] }
        for (id, steps) in try StoredPlanStep.read(where: condition, values, from: database) {
            if let position = index[id] { logs[position].planSteps = steps }
        }
        // One pass over the step log of the selected executions, in write order.
        let stepSQL = """
            SELECT s.execution, s.step, s.phase, s.attempt, s.action, s.params, s.undo, s.idempotent, s.intent_at, s.result, s.exit_status, s.output, s.result_at
            FROM steps s JOIN executions e ON e.id = s.execution WHERE \(condition.replacingOccurrences(of: "outcome", with: "e.outcome").replacingOccurrences(of: "incident", with: "e.incident"))
            ORDER BY s.execution, s.rowid
            """
        try database.statement(stepSQL).query(values) { row throws(StoreFailure) in
            guard let position = index[row.integer(0) ?? -1] else { return }
            logs[position].steps.append(StepLogEntry(
                step: Int(row.integer(1) ?? 0), phase: row.text(2) ?? "", attempt: Int(row.integer(3) ?? 0), action: row.text(4) ?? "",
                params: row.text(5) ?? "[]", undo: row.text(6) ?? "", idempotent: row.integer(7) == 1, intentAt: row.real(8) ?? 0,
                result: row.text(9), exitStatus: row.integer(10).map(Int.init), output: row.text(11), resultAt: row.real(12)))
        }
        return logs
    }

    private func approvalRows(where condition: String, _ values: [SQLValue]) throws(StoreFailure) -> [ApprovalRow] {
        try database.rows("SELECT id, execution, incident, step, action, risk, params, requested_at, deadline, decision, decided_by, reason, decided_at FROM approvals WHERE \(condition) ORDER BY id", values).map { row in
            ApprovalRow(id: row.integer(0) ?? 0, execution: row.integer(1) ?? 0, incident: UInt64(row.integer(2) ?? 0), step: Int(row.integer(3) ?? 0),
                        action: row.text(4) ?? "", risk: row.text(5) ?? "", params: row.text(6) ?? "[]", requestedAt: row.real(7) ?? 0,
                        deadline: row.real(8) ?? 0, decision: row.text(9), decidedBy: row.text(10), reason: row.text(11), decidedAt: row.real(12))
        }
    }

    private static func page(_ row: Row) -> PageRow {
        PageRow(id: row.integer(0) ?? 0, incident: UInt64(row.integer(1) ?? 0), payload: row.text(2) ?? "", createdAt: row.real(3) ?? 0,
                attempts: Int(row.integer(4) ?? 0), lastError: row.text(5), deliveredAt: row.real(6))
    }
}
