import TenderCore
import TenderHTTP

// `POST /v1/incidents/{id}/cancel` against the live coordinator: the same `cancelIncident` the
// intake's `cancel` op calls, so there is one cancel logic; only the reply's shape differs.
extension CoordinatorAPIBackend {
    public func cancel(incident id: UInt64, actor: String, reason: String, completion: @escaping (CancelOutcome) -> Void) {
        coordinator.cancelIncident(IncidentID(id), by: actor, reason: reason) { reply in
            completion(Self.outcome(reply))
        }
    }

    /// The coordinator's reply in the API's terms (`CancelReplyLine` is the intake's).
    static func outcome(_ reply: CancelReply) -> CancelOutcome {
        switch reply {
        case .cancelled(let execution): .cancelled(execution: execution?.rawValue)
        case .notOpen(let state?): .alreadyConcluded(state: state)
        case .notOpen(nil): .notFound
        case .notYetOpen: .notYetOpen
        }
    }
}
