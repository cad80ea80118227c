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
    /// Reads the store the coordinator writes; nil when it has no SQLite store.
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
        if let path = coordinator.recordStore?.path {
            reader = try StoreReader(path: path)
        } else {
            reader = nil
        }
        wallAtEpoch = Date().timeIntervalSince1970 - coordinator.now().seconds
    }

    // MARK: Writes

    public func submit(_ drafts: [IncidentDraft], completion: @escaping (SubmitOutcome) -> Void) {
        var replies = [IntakeReply?](repeating: nil, count: drafts.count)
        var outstanding = drafts.count
        for (index, draft) in drafts.enumerated() {
            let submission = IncidentSubmission(
                category: draft.category, severity: draft.severity, service: draft.service,
                region: draft.region, entities: draft.entities, reference: draft.reference)
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
                return .unavailable(reason: reason)
            }
        }
        return .accepted(accepted)
    }

    public func decide(approval id: String, _ decision: ApprovalDecision, actor: String, completion: @escaping (DecisionOutcome) -> Void) {
        guard let reader, let number = Int64(id) else {
            completion(reader == nil ? .unavailable(reason: "no store") : .notFound)
            return
        }
        do {
            guard let row = try reader.approval(id: number) else {
                completion(.notFound)
                return
            }
            if row.decision != nil {
                completion(.alreadyDecided(item(row)))
                return
            }
            // The same desk `tender approvals approve|deny` uses: one transaction with its audit
            // line; the coordinator's executor polls the store for the decision.
            let decided = try ApprovalDesk.decide(number, decision == .approve ? .approved : .denied, by: actor,
                                                  reason: "decided through the HTTP API", at: wallClock(), in: reader.database)
            completion(.recorded(item(decided)))
        } catch let refused as ApprovalDesk.Refused {
            if let row = try? reader.approval(id: number) {
                completion(.alreadyDecided(item(row)))
            } else {
                completion(.unavailable(reason: refused.description))
            }
        } catch {
            completion(.unavailable(reason: "store: \(error)"))
        }
    }

    // MARK: Reads

    public func timeline(of incident: UInt64) -> TenderHTTP.IncidentTimeline? {
        guard let reader, let stored = try? reader.timeline(incident: incident) else { return nil }
        return StoredTimelineMapping.timeline(stored, summary: summary(of: stored.incident), wallAtEpoch: wallAtEpoch)
    }

    public func approvals() -> [ApprovalItem] {
        guard let reader, let rows = try? reader.pendingApprovals() else { return [] }
        return rows.map(item)
    }

    func item(_ row: ApprovalRow) -> ApprovalItem {
        let specialist = (try? reader?.database.rows("SELECT specialist FROM executions WHERE id = ?", [.integer(row.execution)]).first?.text(0)) ?? nil
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
        Readiness(specialistsConnected: coordinator.connectedSpecialists, storeOpen: reader != nil)
    }
}
