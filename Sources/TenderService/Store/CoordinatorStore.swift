import Foundation
import TenderCore
import TenderStore
import TenderUV

/// The coordinator's system of record (`--db`): one SQLite file written only by TenderStore's
/// group-commit `StoreWriter` thread. Incidents (with their `ref` idempotency key), conclusions,
/// auctions, bids, awards, sessions, the audit log, and (through the same writer, shared with
/// `ExecutionRunner` and `Pager`) executions, steps, approvals and pages.
///
/// Incidents are acknowledged only once durable. They are written in batches of their own: all
/// incidents that arrive while one batch commits go together in the next, so intake keeps group
/// commit while each ref is looked up inside the transaction that inserts it (a retry queued in
/// the same batch as its original finds it). Completions come back on the loop thread through an
/// async handle; nothing here blocks the loop except `close()` and the reads at start.
public final class CoordinatorStore: IncidentStore {
    private struct PendingIncident {
        var id: UInt64
        var body: String
        var reference: String?
        var durable: (Result<RecordOutcome, StoreError>) -> Void
    }

    public let writer: StoreWriter
    public let path: String
    private var wakeup: LoopWakeup!
    private var queued: [PendingIncident] = []
    private var batchInFlight = false
    private let encoder = JSONEncoder()
    /// Who the audit log names for the coordinator's own decisions.
    public var actor = "coordinator"

    public init(path: String, loop: EventLoop) throws(StoreError) {
        self.path = path
        let box = WriterBox()
        do {
            wakeup = try LoopWakeup(loop: loop) { box.writer?.deliverCompletions() }
        } catch {
            throw StoreError(function: error.function, code: error.code, message: error.message)
        }
        wakeup.unref()
        let wake = wakeup!
        do {
            writer = try StoreWriter(path: path) { wake.wake() }
        } catch {
            wakeup.close()
            throw StoreError(failure: error)
        }
        box.writer = writer
        try blockingRead { database throws(StoreFailure) in
            // A store written by the first incident store keeps its refs on `incidents.ref`.
            let columns = try database.rows("PRAGMA table_info(incidents)").compactMap { $0.text(1) }
            if columns.contains("ref") {
                try database.execute("INSERT OR IGNORE INTO incident_refs (ref, incident) SELECT ref, id FROM incidents WHERE ref IS NOT NULL")
            }
        }
    }

    /// Run `query` on the writer's connection and wait for it: for startup, before the loop runs.
    public func blockingRead<T>(_ query: @escaping (Database) throws(StoreFailure) -> T) throws(StoreError) -> T {
        var result: Result<T, StoreFailure>?
        writer.read(query) { result = $0 }
        writer.drain()
        switch result {
        case .success(let value): return value
        case .failure(let failure): throw StoreError(failure: failure)
        case nil: throw StoreError(function: "CoordinatorStore.blockingRead", code: 0, message: "the writer returned no result")
        }
    }

    // MARK: IncidentStore

    public func record(_ incident: Incident, reference: String?, durable: @escaping (Result<RecordOutcome, StoreError>) -> Void) {
        let body: String
        do {
            body = String(decoding: try encoder.encode(incident), as: UTF8.self)
        } catch {
            durable(.failure(StoreError(function: "JSONEncoder.encode", code: 0, message: "\(error)")))
            return
        }
        queued.append(PendingIncident(id: incident.id.rawValue, body: body, reference: reference, durable: durable))
        submitBatch()
    }

    private func submitBatch() {
        guard !batchInFlight, !queued.isEmpty else { return }
        batchInFlight = true
        let batch = queued
        queued.removeAll(keepingCapacity: true)
        let entries = batch.map { ($0.id, $0.body, $0.reference) }
        let at = Date().timeIntervalSince1970
        let actor = actor
        writer.read({ database throws(StoreFailure) -> [RecordOutcome] in
            try database.transaction { () throws(StoreFailure) -> [RecordOutcome] in
                var outcomes: [RecordOutcome] = []
                outcomes.reserveCapacity(entries.count)
                for (id, body, reference) in entries {
                    if let reference, let original = try database.rows("SELECT incident FROM incident_refs WHERE ref = ?", [.text(reference)]).first?.integer(0) {
                        outcomes.append(.duplicate(of: IncidentID(UInt64(original))))
                        continue
                    }
                    try database.run("INSERT INTO incidents (id, body) VALUES (?, ?)", [.integer(Int64(id)), .text(body)])
                    if let reference {
                        try database.run("INSERT INTO incident_refs (ref, incident) VALUES (?, ?)", [.text(reference), .integer(Int64(id))])
                    }
                    try AuditLog.append(AuditRecord(at: at, actor: actor, incident: id, what: "incident \(id) accepted", why: reference.map { "intake, ref \($0)" } ?? "intake"), to: database)
                    outcomes.append(.stored)
                }
                return outcomes
            }
        }) { [weak self] result in
            guard let self else { return }
            self.batchInFlight = false
            switch result {
            case .success(let outcomes):
                for (entry, outcome) in zip(batch, outcomes) { entry.durable(.success(outcome)) }
            case .failure(let failure):
                let error = StoreError(failure: failure)
                for entry in batch { entry.durable(.failure(error)) }
            }
            self.submitBatch()
        }
    }

    public func conclude(_ id: IncidentID, conclusion: String, by specialist: String?, plan: RemediationPlan?) {
        let planJSON = plan.flatMap { try? encoder.encode($0) }.map { String(decoding: $0, as: UTF8.self) }
        let at = Date().timeIntervalSince1970
        writer.submit([
            .incidentConcluded(id: id.rawValue, status: conclusion, resolvedBy: specialist, plan: planJSON, at: at),
            .audit(AuditRecord(at: at, actor: actor, incident: id.rawValue, what: "incident \(id.rawValue) \(conclusion)",
                               why: specialist.map { "by \($0)" } ?? conclusion)),
        ])
    }

    public func openIncidents() throws(StoreError) -> [Incident] {
        let bodies = try blockingRead { database throws(StoreFailure) in
            try database.rows("SELECT body FROM incidents WHERE status = 'open' ORDER BY id").map { $0.text(0) ?? "" }
        }
        let decoder = JSONDecoder()
        var incidents: [Incident] = []
        for body in bodies {
            guard let incident = try? decoder.decode(Incident.self, from: Data(body.utf8)) else {
                throw StoreError(function: "openIncidents", code: 0, message: "unreadable incident row: \(body.prefix(80))")
            }
            incidents.append(incident)
        }
        return incidents
    }

    public func nextIncidentID() throws(StoreError) -> UInt64 {
        try ids().incident + 1
    }

    /// Open incidents whose latest execution was applied: the crash came between the
    /// execution's outcome and the incident's conclusion. They are resolved, not re-run.
    public func appliedButOpen() throws(StoreError) -> [(IncidentID, String)] {
        try blockingRead { database throws(StoreFailure) in
            try database.rows("""
                SELECT e.incident, e.specialist FROM executions e JOIN incidents i ON i.id = e.incident
                WHERE i.status = 'open' AND e.outcome = 'applied'
                  AND e.id = (SELECT MAX(id) FROM executions WHERE incident = e.incident)
                """).map { (IncidentID(UInt64($0.integer(0) ?? 0)), $0.text(1) ?? "") }
        }
    }

    /// The highest id of each kind of row, for the runner, pager and sessions to continue from.
    public func ids() throws(StoreError) -> StoreIDs {
        try blockingRead { database throws(StoreFailure) in try StoreReader(database: database).ids() }
    }

    /// Queue records; fire and forget (failures are logged by `onWriteFailure`).
    public func submit(_ records: [StoreRecord]) {
        writer.submit(records) { [weak self] result in
            if case .failure(let failure) = result { self?.onWriteFailure(failure) }
        }
    }

    public var onWriteFailure: (StoreFailure) -> Void = { _ in }

    public func close() {
        // Incidents still queued behind a batch are written before the writer stops, and their
        // senders answered.
        while batchInFlight || !queued.isEmpty {
            submitBatch()
            writer.drain()
        }
        writer.close()
        wakeup.close()
    }
}

/// Lets the async handle, created before the writer, reach it once it exists.
private final class WriterBox: @unchecked Sendable {
    var writer: StoreWriter?
}

extension StoreError {
    init(failure: StoreFailure) {
        self.init(function: failure.function, code: failure.code, message: failure.sql.map { "\(failure.message) in `\($0)`" } ?? failure.message)
    }
}
