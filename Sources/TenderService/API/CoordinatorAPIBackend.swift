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
    /// A read connection of its own to the coordinator's store file; nil for an in-memory store,
    /// which only the writer's connection can see (then reads go through the writer).
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
        if let path = coordinator.recordStore?.path, !path.hasPrefix(":memory:"), !path.hasPrefix("file::memory:"), FileManager.default.fileExists(atPath: path) {
            reader = try StoreReader(path: path)
        } else {
            reader = nil
        }
        wallAtEpoch = Date().timeIntervalSince1970 - coordinator.now().seconds
    }

    /// Run `query` against the store: on the own read connection, or (in-memory store) on the
    /// writer's, waiting for it. Nil when there is no store or the query failed.
    func read<T>(_ query: @escaping (StoreReader) throws(StoreFailure) -> T) -> T? {
        if let reader { return try? query(reader) }
        guard let store = coordinator.recordStore else { return nil }
        return try? store.blockingRead { database throws(StoreFailure) in try query(StoreReader(database: database)) }
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
        guard coordinator.recordStore != nil else {
            completion(.unavailable(reason: "no store"))
            return
        }
        guard let number = Int64(id), let row = read({ reader throws(StoreFailure) in try reader.approval(id: number) }) ?? nil else {
            completion(.notFound)
            return
        }
        if row.decision != nil {
            completion(.alreadyDecided(item(row)))
            return
        }
        // The same desk `tender approvals approve|deny` uses: one transaction with its audit
        // line; the coordinator's executor polls the store for the decision.
        let time = wallClock()
        let outcome = read { reader throws(StoreFailure) -> Result<ApprovalRow, Error> in
            do {
                return .success(try ApprovalDesk.decide(number, decision == .approve ? .approved : .denied, by: actor,
                                                        reason: "decided through the HTTP API", at: time, in: reader.database))
            } catch {
                return .failure(error)
            }
        }
        switch outcome {
        case .success(let decided)?:
            completion(.recorded(item(decided)))
        case .failure(let error)?:
            if let current = read({ reader throws(StoreFailure) in try reader.approval(id: number) }) ?? nil, current.decision != nil {
                completion(.alreadyDecided(item(current)))
            } else {
                completion(.unavailable(reason: "\(error)"))
            }
        case nil:
            completion(.unavailable(reason: "the store could not be read"))
        }
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
