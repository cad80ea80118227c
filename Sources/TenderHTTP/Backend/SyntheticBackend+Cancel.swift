import TenderCore

// Cancelling in the synthetic backend, with the live coordinator's outcomes: an open incident
// concludes `cancelled` once (a running plan is rolled back and its approval withdrawn), a
// concluded one is refused with its state, an unknown id is not found.
extension SyntheticBackend {
    public func cancel(incident id: UInt64, actor: String, reason: String, completion: @escaping (CancelOutcome) -> Void) {
        guard storeOpen else {
            completion(.unavailable(reason: "store unavailable"))
            return
        }
        guard var timeline = incidentsByID[id] else {
            completion(.notFound)
            return
        }
        switch timeline.incident.state {
        case .resolved, .failed, .escalated, .cancelled:
            completion(.alreadyConcluded(state: timeline.incident.state.rawValue))
            return
        case .queued, .auctioning, .awarded, .awaitingApproval, .executing:
            break
        }
        var effect: String?
        if let index = executions.lastIndex(where: { $0.incidentId == id && ($0.state == .running || $0.state == .awaitingApproval) }) {
            effect = "rolling_back"
            stopExecution(at: index)
        }
        for index in approvalItems.indices where approvalItems[index].incidentId == id && approvalItems[index].state == .pending {
            // Withdrawn, as the store's `superseded` reads through the API.
            approvalItems[index].state = .expired
        }
        timeline.incident.state = .cancelled
        timeline.events.append(TimelineEvent(at: now(), kind: "cancelled", detail: "cancelled by \(actor): \(reason)"))
        incidentsByID[id] = timeline
        closedCount += 1
        cancellations.append((id, actor, reason))
        completion(.cancelled(execution: effect))
    }

    /// The running step is undone, and a running plan frees its specialist's slot.
    private func stopExecution(at index: Int) {
        if executions[index].state == .running,
           let specialist = specialistsTable.firstIndex(where: { $0.info.name == executions[index].specialist }) {
            specialistsTable[specialist].load -= 1
        }
        executions[index].state = .rolledBack
        executions[index].reason = "cancelled"
        for step in executions[index].steps.indices where executions[index].steps[step].state == .running || executions[index].steps[step].state == .succeeded {
            executions[index].steps[step].state = .rolledBack
        }
    }
}
