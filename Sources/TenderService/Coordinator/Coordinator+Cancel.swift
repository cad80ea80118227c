import TenderCore
import TenderExecutor
import TenderStore

/// What a cancel request did, for the canceller's reply.
public enum CancelReply: Sendable, Hashable {
    /// The incident concluded `cancelled` now. `execution` says what happened to a plan being
    /// executed (`rolling_back`: stopped, what ran is being undone), nil if none was running.
    case cancelled(execution: CancelEffect?)
    /// It was not open: it concluded earlier (`state`: resolved, escalated, cancelled), or no
    /// incident has that id (`state` nil). Nothing changed.
    case notOpen(state: String?)
    /// It is stored but not yet in auction (its acknowledgement is still on its way): ask again.
    case notYetOpen
}

/// Cancelling an incident, whatever it is doing: the engine ends its auction (`.cancel`) and
/// concludes it `cancelled` exactly once; a plan being executed is stopped and rolled back by the
/// executor (see `conclude` in `Coordinator+Actions`). Loop thread only.
extension Coordinator {
    public func cancelIncident(_ id: IncidentID, by: String, reason: String, reply: @escaping (CancelReply) -> Void) {
        guard live[id] != nil else {
            lookUpConcluded(id, reply)
            return
        }
        live[id]?.cancelRequest = (by, reason)
        let effect = planExecutor?.cancelEffect(id)
        logger.notice("incident cancelled", metadata: ["incident": "\(id)", "by": "\(by)", "reason": "\(reason)", "execution": "\(effect?.rawValue ?? "none")"])
        if engine.isOpen(id) {
            handle(.cancel(id))
        } else {
            // Not in the engine: held back while a restart finishes its execution, or waiting
            // for the recovery grace period to be announced.
            heldForRecovery.remove(id)
            recoveredIncidents.removeAll { $0 == id }
            planExecutor?.cancel(id, by: by, reason: reason)
            concludeOutsideEngine(id, conclusion: "cancelled", by: nil)
        }
        reply(.cancelled(execution: effect))
    }

    /// The incident is not live: say whether it concluded (and how) or never existed.
    private func lookUpConcluded(_ id: IncidentID, _ reply: @escaping (CancelReply) -> Void) {
        guard let recordStore else {
            reply(.notOpen(state: nil))
            return
        }
        recordStore.writer.read({ database throws(StoreFailure) -> String? in
            try database.rows("SELECT status FROM incidents WHERE id = ?", [.integer(Int64(bitPattern: id.rawValue))]).first?.text(0)
        }) { result in
            switch result {
            case .success("open"): reply(.notYetOpen)
            case .success(let state): reply(.notOpen(state: state))
            case .failure: reply(.notOpen(state: nil))
            }
        }
    }
}
