import Foundation
import TenderCore
import TenderUV

/// The SQLite incident store (`--db`). Blocking writes run on a dedicated writer thread that
/// commits everything queued since its last commit in one transaction (group commit); the
/// completions come back to the loop thread through a libuv async handle, in batches.
///
/// WAL journal with `synchronous=FULL`: when the completion runs, the incident is on disk.
public final class SQLiteStore: IncidentStore {
    private enum Job {
        case insert(Incident, json: String, token: Int)
        case conclude(IncidentID, conclusion: String, by: String?, plan: RemediationPlan?)
    }

    private let connection: SQLiteConnection
    private let lock = NSCondition()
    // Guarded by `lock`: the handoff between the loop thread and the writer thread.
    private var queued: [Job] = []
    private var completed: [(token: Int, result: Result<Void, StoreError>)] = []
    private var stopping = false
    private var writerDone = false

    // Loop thread only.
    private var waiting: [Int: (Result<Void, StoreError>) -> Void] = [:]
    private var nextToken = 0
    private var wakeup: LoopWakeup!
    private var thread: Thread?

    public init(path: String, loop: EventLoop) throws(StoreError) {
        connection = try SQLiteConnection(path: path)
        try connection.execute("PRAGMA journal_mode=WAL")
        try connection.execute("PRAGMA synchronous=FULL")
        try connection.execute("""
            CREATE TABLE IF NOT EXISTS incidents (
                id INTEGER PRIMARY KEY,
                body TEXT NOT NULL,
                status TEXT NOT NULL DEFAULT 'open',
                resolved_by TEXT,
                plan TEXT,
                concluded_at REAL
            )
            """)
        try connection.execute("CREATE INDEX IF NOT EXISTS incidents_open ON incidents(status) WHERE status = 'open'")
        do {
            wakeup = try LoopWakeup(loop: loop) { [unowned self] in self.deliverCompletions() }
        } catch {
            throw StoreError(function: error.function, code: error.code, message: error.message)
        }
        wakeup.unref()
        let writer = Thread { [unowned self] in self.writerLoop() }
        writer.name = "tender-store-writer"
        thread = writer
        writer.start()
    }

    public func record(_ incident: Incident, durable: @escaping (Result<Void, StoreError>) -> Void) {
        let json: String
        do {
            json = String(decoding: try JSONEncoder().encode(incident), as: UTF8.self)
        } catch {
            durable(.failure(StoreError(function: "JSONEncoder.encode", code: 0, message: "\(error)")))
            return
        }
        nextToken += 1
        waiting[nextToken] = durable
        enqueue(.insert(incident, json: json, token: nextToken))
    }

    public func conclude(_ id: IncidentID, conclusion: String, by specialist: String?, plan: RemediationPlan?) {
        enqueue(.conclude(id, conclusion: conclusion, by: specialist, plan: plan))
    }

    private func enqueue(_ job: Job) {
        lock.lock()
        queued.append(job)
        lock.signal()
        lock.unlock()
    }

    public func openIncidents() throws(StoreError) -> [Incident] {
        var incidents: [Incident] = []
        let decoder = JSONDecoder()
        lock.lock()
        defer { lock.unlock() }
        try connection.prepare("SELECT body FROM incidents WHERE status = 'open' ORDER BY id").query { row throws(StoreError) in
            guard let body = row.text(0), let incident = try? decoder.decode(Incident.self, from: Data(body.utf8)) else {
                throw StoreError(function: "openIncidents", code: 0, message: "unreadable incident row")
            }
            incidents.append(incident)
        }
        return incidents
    }

    public func nextIncidentID() throws(StoreError) -> UInt64 {
        var maximum: Int64 = 0
        lock.lock()
        defer { lock.unlock() }
        try connection.prepare("SELECT COALESCE(MAX(id), 0) FROM incidents").query { row in maximum = row.integer(0) }
        return UInt64(maximum) + 1
    }

    /// Loop thread: hand each finished write's result to its waiter.
    private func deliverCompletions() {
        lock.lock()
        let batch = completed
        completed.removeAll(keepingCapacity: true)
        lock.unlock()
        for (token, result) in batch {
            waiting.removeValue(forKey: token)?(result)
        }
    }

    /// Writer thread: commit whatever is queued, one transaction per batch.
    private func writerLoop() {
        var insert: SQLiteConnection.Statement?
        var conclude: SQLiteConnection.Statement?
        let encoder = JSONEncoder()
        while true {
            lock.lock()
            while queued.isEmpty && !stopping { lock.wait() }
            let batch = queued
            queued.removeAll(keepingCapacity: true)
            let finished = stopping && batch.isEmpty
            lock.unlock()
            if finished { break }

            var tokens: [Int] = []
            let outcome: Result<Void, StoreError>
            do throws(StoreError) {
                if insert == nil {
                    insert = try connection.prepare("INSERT OR IGNORE INTO incidents (id, body) VALUES (?, ?)")
                    conclude = try connection.prepare("UPDATE incidents SET status = ?, resolved_by = ?, plan = ?, concluded_at = ? WHERE id = ?")
                }
                try connection.execute("BEGIN IMMEDIATE")
                let now = Date().timeIntervalSince1970
                for job in batch {
                    switch job {
                    case .insert(let incident, let json, let token):
                        tokens.append(token)
                        try insert!.run([.integer(Int64(incident.id.rawValue)), .text(json)])
                    case .conclude(let id, let conclusion, let by, let plan):
                        // Encoded here, on the writer thread, to keep JSON work off the loop.
                        let planJSON = plan.flatMap { try? encoder.encode($0) }.map { String(decoding: $0, as: UTF8.self) }
                        try conclude!.run([.text(conclusion), by.map(SQLValue.text) ?? .null, planJSON.map(SQLValue.text) ?? .null, .real(now), .integer(Int64(id.rawValue))])
                    }
                }
                try connection.execute("COMMIT")
                outcome = .success(())
            } catch {
                try? connection.execute("ROLLBACK")
                outcome = .failure(error)
            }
            guard !tokens.isEmpty else { continue }
            lock.lock()
            completed.append(contentsOf: tokens.map { ($0, outcome) })
            lock.unlock()
            wakeup.wake()
        }
        lock.lock()
        writerDone = true
        lock.broadcast()
        lock.unlock()
    }

    public func close() {
        lock.lock()
        stopping = true
        lock.broadcast()
        while !writerDone { lock.wait() }
        lock.unlock()
        deliverCompletions()
        wakeup.close()
    }
}
