/// Where a person decides a waiting approval (`tender approvals approve|deny`). The decision is
/// written straight into the store, in one transaction with its audit line; the running
/// coordinator polls the store for decisions on the approvals it waits for. The store is the
/// transport: a decision survives a coordinator restart, and needs no extra port or credential.
public enum ApprovalDesk {
    public enum Decision: String, Sendable {
        case approved, denied
    }

    public struct Refused: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Decide approval `id`. Fails if it is unknown or already decided (first decision wins).
    public static func decide(
        _ id: Int64, _ decision: Decision, by person: String, reason: String?, at time: Double, in database: Database
    ) throws -> ApprovalRow {
        let reader = StoreReader(database: database)
        try database.transaction { () throws(StoreFailure) in
            try database.run("UPDATE approvals SET decision = ?, decided_by = ?, reason = ?, decided_at = ? WHERE id = ? AND decision IS NULL",
                             [.text(decision.rawValue), .text(person), .optional(reason), .real(time), .integer(id)])
            guard database.changes == 1 else { return }
            guard let row = try reader.approval(id: id) else { return }
            try AuditLog.append(AuditRecord(
                at: time, actor: person, incident: row.incident, execution: row.execution,
                what: "\(decision.rawValue) approval \(id): step \(row.step + 1) \(row.action) (\(row.risk) risk)",
                why: reason ?? "no reason given"), to: database)
        }
        guard let row = try reader.approval(id: id) else { throw Refused(description: "no approval \(id) in \(database.path)") }
        guard row.decision == decision.rawValue, row.decidedBy == person, row.decidedAt == time else {
            throw Refused(description: "approval \(id) was already decided: \(row.decision ?? "?") by \(row.decidedBy ?? "?")")
        }
        return row
    }
}
