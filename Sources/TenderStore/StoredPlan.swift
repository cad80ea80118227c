/// One step of a validated plan as the store keeps it beside the plan's JSON (`plan_steps` and
/// `plan_parameters`, migration `0004_execution_recovery`): what runs, its undo, and how the
/// driver treats it. A restart rebuilds each interrupted plan from these columns, with one query
/// per table for every execution in flight, instead of decoding 10,000 JSON documents.
public struct StoredPlanStep: Sendable, Hashable {
    public var action: String
    public var undo: String
    /// The playbook's risk, by name (`none`, `low`, `medium`, `high`).
    public var risk: String
    public var idempotent: Bool
    public var undoIdempotent: Bool
    public var retries: Int
    public var undoRetries: Int
    public var timeoutSeconds: Double
    public var undoTimeoutSeconds: Double
    public var parameters: [StoredParameter]

    public init(action: String, undo: String, risk: String, idempotent: Bool, undoIdempotent: Bool, retries: Int, undoRetries: Int,
                timeoutSeconds: Double, undoTimeoutSeconds: Double, parameters: [StoredParameter]) {
        self.action = action
        self.undo = undo
        self.risk = risk
        self.idempotent = idempotent
        self.undoIdempotent = undoIdempotent
        self.retries = retries
        self.undoRetries = undoRetries
        self.timeoutSeconds = timeoutSeconds
        self.undoTimeoutSeconds = undoTimeoutSeconds
        self.parameters = parameters
    }
}

/// A typed, validated parameter of a stored plan step.
public struct StoredParameter: Sendable, Hashable {
    public var name: String
    /// The parameter type's name (`ip`, `host`, `count`...).
    public var type: String
    public var value: String

    public init(name: String, type: String, value: String) {
        self.name = name
        self.type = type
        self.value = value
    }
}

extension StoredPlanStep {
    /// Write the steps of execution `id` (inside the writer's transaction).
    static func write(_ steps: [StoredPlanStep], execution id: Int64, to database: Database) throws(StoreFailure) {
        for (index, step) in steps.enumerated() {
            try database.run("""
                INSERT INTO plan_steps (execution, step, action, undo, risk, idempotent, undo_idempotent, retries, undo_retries, timeout_s, undo_timeout_s)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [.integer(id), .integer(Int64(index)), .text(step.action), .text(step.undo), .text(step.risk),
                      .integer(step.idempotent ? 1 : 0), .integer(step.undoIdempotent ? 1 : 0), .integer(Int64(step.retries)),
                      .integer(Int64(step.undoRetries)), .real(step.timeoutSeconds), .real(step.undoTimeoutSeconds)])
            for (position, parameter) in step.parameters.enumerated() {
                try database.run("INSERT INTO plan_parameters (execution, step, position, name, type, value) VALUES (?, ?, ?, ?, ?, ?)",
                                 [.integer(id), .integer(Int64(index)), .integer(Int64(position)), .text(parameter.name), .text(parameter.type), .text(parameter.value)])
            }
        }
    }

    /// The stored steps of the executions selected by `condition` (over `executions e`), by
    /// execution id: two queries in all, in (execution, step, position) order, no sort needed.
    static func read(where condition: String, _ values: [SQLValue], from database: Database) throws(StoreFailure) -> [Int64: [StoredPlanStep]] {
        var steps: [Int64: [StoredPlanStep]] = [:]
        try database.statement("""
            SELECT p.execution, p.action, p.undo, p.risk, p.idempotent, p.undo_idempotent, p.retries, p.undo_retries, p.timeout_s, p.undo_timeout_s
            FROM executions e JOIN plan_steps p ON p.execution = e.id WHERE \(condition) ORDER BY p.execution, p.step
            """).query(values) { row throws(StoreFailure) in
            steps[row.integer(0) ?? 0, default: []].append(StoredPlanStep(
                action: row.text(1) ?? "", undo: row.text(2) ?? "", risk: row.text(3) ?? "", idempotent: row.integer(4) == 1,
                undoIdempotent: row.integer(5) == 1, retries: Int(row.integer(6) ?? 0), undoRetries: Int(row.integer(7) ?? 0),
                timeoutSeconds: row.real(8) ?? 0, undoTimeoutSeconds: row.real(9) ?? 0, parameters: []))
        }
        guard !steps.isEmpty else { return steps }
        try database.statement("""
            SELECT q.execution, q.step, q.name, q.type, q.value
            FROM executions e JOIN plan_parameters q ON q.execution = e.id WHERE \(condition) ORDER BY q.execution, q.step, q.position
            """).query(values) { row throws(StoreFailure) in
            let execution = row.integer(0) ?? 0
            let step = Int(row.integer(1) ?? -1)
            guard let count = steps[execution]?.count, step >= 0, step < count else { return }
            steps[execution]?[step].parameters.append(StoredParameter(name: row.text(2) ?? "", type: row.text(3) ?? "", value: row.text(4) ?? ""))
        }
        return steps
    }
}
