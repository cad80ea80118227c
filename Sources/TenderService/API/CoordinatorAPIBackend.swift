import Foundation
import TenderCore
import TenderHTTP
import TenderStore

/// The HTTP API's view of the live coordinator: writes go through `Coordinator.submit` (the one
/// intake path, with its validation, bounds, ref idempotency and admission) and the store's
/// `ApprovalDesk`; reads come from the coordinator's live state and from the store, the system of
/// record, through a read connection of its own (WAL readers do not block the writer).
///
/// Loop-thread only, like the coordinator it reads.
public final class CoordinatorAPIBackend: APIBackend {
    let coordinator: Coordinator
    /// A read connection of its own to the coordinator's store: the `--db` file (a WAL reader), or
    /// the shared in-memory database of a run without it (reading uncommitted rows, so it never
    /// waits for the writer's table locks). Nil when the store cannot be opened twice (a private
    /// `:memory:` database, or none): then store reads answer empty rather than block the loop.
    let reader: StoreReader?
    /// Award tallies and a recent-awards window, fed by the coordinator's engine actions.
    var tally = AwardTally(windowSeconds: 300)
    /// Specialists seen since start, by name, so a disconnected one still shows (as disconnected).
    var known: [String: SpecialistInfo] = [:]
    /// Wall-clock Unix seconds at the coordinator's instant zero, to date incidents for clients.
    let wallAtEpoch: Double
    var wallClock: () -> Double = { Date().timeIntervalSince1970 }

    public init(coordinator: Coordinator) throws {
        self.coordinator = coordinator
        if let path = coordinator.recordStore?.path, SharedMemoryDatabase.isSharedMemory(path) {
            let reader = try StoreReader(path: path)
            try reader.database.execute("PRAGMA read_uncommitted = 1")
            self.reader = reader
        } else if let path = coordinator.recordStore?.path, !path.hasPrefix(":memory:"), !path.hasPrefix("file::memory:"), FileManager.default.fileExists(atPath: path) {
            reader = try StoreReader(path: path)
        } else {
            reader = nil
        }
        wallAtEpoch = Date().timeIntervalSince1970 - coordinator.now().seconds
    }

    /// Run `query` on the API's own read connection, on the loop thread. It never waits for the
    /// store's writer thread (whose queue may hold a whole batch of commits); nil when there is no
    /// read connection or the query failed.
    func read<T>(_ query: @escaping (StoreReader) throws(StoreFailure) -> T) -> T? {
        guard let reader else { return nil }
        return try? query(reader)
    }

    // MARK: Writes

    public func submit(_ submissions: [IncidentSubmission], completion: @escaping (SubmitOutcome) -> Void) {
        var replies = [IntakeReply?](repeating: nil, count: submissions.count)
        var outstanding = submissions.count
        for (index, submission) in submissions.enumerated() {
            coordinator.submit(submission) { reply in
                replies[index] = reply
                outstanding -= 1
                if outstanding == 0 { completion(Self.outcome(replies.compactMap { $0 })) }
            }
        }
    }

    /// One HTTP answer for a batch's intake replies. Accepted incidents are durable whatever the
    /// rest did; a client retrying a partly refused batch with its refs gets the same ids back.
    static func outcome(_ replies: [IntakeReply]) -> SubmitOutcome {
        var accepted: [AcceptedIncident] = []
        for reply in replies {
            switch reply {
            case .accepted(let id, let reference, _):
                accepted.append(AcceptedIncident(id: id.rawValue, reference: reference))
            case .rejected(let reason, _, let retryable):
                if retryable, reason == "overloaded" || reason == "shutting down" {
                    return .overloaded(retryAfterSeconds: 1, reason: "\(reason): \(accepted.count) of \(replies.count) accepted; retry the rest (refs make retries safe)")
                }
                if !retryable {
                    // Intake's gate refused it for good: its message is "field: why".
                    let parts = reason.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                    return .invalid(parts.count == 2 ? FieldErrors(parts[0], parts[1]) : FieldErrors("body", reason))
                }
                return .unavailable(reason: reason)
            }
        }
        return .accepted(accepted)
    }

    public func decide(approval id: String, _ decision: ApprovalDecision, actor: String, completion: @escaping (DecisionOutcome) -> Void) {
        guard let store = coordinator.recordStore else {
            completion(.unavailable(reason: "no store"))
            return
        }
        guard let number = Int64(id) else {
            completion(.notFound)
            return
        }
        // The same desk `tender approvals approve|deny` uses: one transaction with its audit
        // line; the coordinator's executor polls the store for the decision. It runs on the
        // writer's thread, in order with everything else written, and answers on the loop: a
        // commit (an fsync with `--db`) never holds the loop.
        let time = wallClock()
        let verdict: ApprovalDesk.Decision = decision == .approve ? .approved : .denied
        store.writer.read({ database throws(StoreFailure) -> DeskAnswer in
            let reader = StoreReader(database: database)
            guard let row = try reader.approval(id: number) else { return .notFound }
            if row.decision != nil { return .alreadyDecided(row) }
            do {
                return .recorded(try ApprovalDesk.decide(number, verdict, by: actor, reason: "decided through the HTTP API", at: time, in: database))
            } catch {
                if let current = try reader.approval(id: number), current.decision != nil { return .alreadyDecided(current) }
                return .failed("\(error)")
            }
        }) { [weak self] result in
            guard let self else { return completion(.unavailable(reason: "the coordinator stopped")) }
            switch result {
            case .success(.recorded(let row)): completion(.recorded(item(row)))
            case .success(.alreadyDecided(let row)): completion(.alreadyDecided(item(row)))
            case .success(.notFound): completion(.notFound)
            case .success(.failed(let reason)): completion(.unavailable(reason: reason))
            case .failure(let failure): completion(.unavailable(reason: "\(failure)"))
            }
        }
    }

    /// What the desk did, carried from the writer's thread back to the loop.
    private enum DeskAnswer {
        case recorded(ApprovalRow), alreadyDecided(ApprovalRow), notFound, failed(String)
    }

    // MARK: Reads

    public func timeline(of incident: UInt64) -> TenderHTTP.IncidentTimeline? {
        guard let stored = read({ reader throws(StoreFailure) in try reader.timeline(incident: incident) }) ?? nil else { return nil }
        return StoredTimelineMapping.timeline(stored)
    }

    public func approvals() -> [ApprovalItem] {
        let rows = read { reader throws(StoreFailure) -> [(ApprovalRow, String?)] in
            var rows: [(ApprovalRow, String?)] = []
            for row in try reader.pendingApprovals() { rows.append((row, try Self.specialist(of: row, in: reader))) }
            return rows
        } ?? []
        return rows.map { item($0.0, specialist: $0.1) }
    }

    static func specialist(of row: ApprovalRow, in reader: StoreReader) throws(StoreFailure) -> String? {
        try reader.database.rows("SELECT specialist FROM executions WHERE id = ?", [.integer(row.execution)]).first?.text(0)
    }

    func item(_ row: ApprovalRow, specialist: String? = nil) -> ApprovalItem {
        let state: ApprovalItem.State = switch row.decision {
        case nil: .pending
        case "approved": .approved
        case "denied": .denied
        default: .expired
        }
        return ApprovalItem(id: String(row.id), incidentId: row.incident, specialist: specialist ?? "",
                            step: "step \(row.step + 1): \(row.action) \(row.params)", reason: "\(row.risk) risk",
                            requestedAt: row.requestedAt, state: state, decidedBy: row.decidedBy)
    }

    public func readiness() -> Readiness {
        Readiness(specialistsConnected: coordinator.connectedSpecialists, storeOpen: coordinator.recordStore != nil)
    }
}
