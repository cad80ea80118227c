import Foundation
import TenderCore
import TenderExecutor

/// The engine's execution phase, live: `.execute` runs the winner's plan through the
/// `PlanExecutor`; its outcome goes back to the engine as `.executionFinished`. After a restart,
/// executions the store holds in flight are finished first, and only then do their incidents
/// continue.
extension Coordinator {
    func executePlan(_ ref: AuctionRef, by winner: SpecialistID) {
        guard let entry = live[ref.incident] else { return }
        let session = session(winner)
        let name = session?.name ?? "specialist-\(winner.rawValue)"
        live[ref.incident]?.executedBy = name
        guard let planExecutor else {
            // No executor (benchmarks): the plan's arrival is the remediation.
            handle(.executionFinished(ref, .applied))
            return
        }
        let incident = entry.incident
        planExecutor.execute(entry.plan, for: incident, specialist: name, kind: session?.kind) { [weak self] outcome, escalation in
            guard let self else { return }
            self.count(outcome)
            guard self.live[ref.incident] != nil else {
                // Concluded while its plan ran (cancelled): nothing for the engine to decide, but
                // a rollback that did not finish still needs a person.
                if let escalation {
                    self.logger.warning("execution needs a person", metadata: ["incident": "\(ref.incident)", "outcome": "\(outcome.name)", "why": "\(escalation.name)"])
                    self.planExecutor?.page(incident, why: "\(escalation.name): \(outcome.reason ?? "")")
                }
                return
            }
            if outcome != .applied { self.live[ref.incident]?.executedBy = nil }
            // An approval denied or timed out, or a rollback that did not finish: the engine
            // escalates (and the escalation pages); anything else it decides as usual.
            if let escalation {
                self.handle(.executionEscalated(ref, outcome, escalation))
            } else {
                self.handle(.executionFinished(ref, outcome))
            }
        }
    }

    func count(_ outcome: ExecutionOutcome) {
        switch outcome {
        case .applied: stats.executionsApplied += 1
        case .rolledBack: stats.executionsRolledBack += 1
        case .refused: stats.executionsRefused += 1
        }
    }

    // MARK: Restart

    /// Of the open incidents found at start, finish those whose execution was interrupted, and
    /// conclude those whose plan was applied before the crash but not yet concluded (a store
    /// written before outcome and conclusion were one transaction). Returns the ones to
    /// re-auction once the pool is back.
    ///
    /// Every interrupted incident is held before any execution is restarted: an execution whose
    /// log shows it already over (every step applied, or nothing left to undo) reports its
    /// outcome at once, and that outcome must find its incident held, or the incident would be
    /// neither concluded nor re-auctioned and stay open for good.
    func finishInterruptedExecutions(_ open: [IncidentID]) throws -> [IncidentID] {
        guard let planExecutor, let recordStore else { return open }
        let applied = try recordStore.appliedButOpen()
        for (incident, specialist) in applied where live[incident] != nil {
            logger.notice("concluding an incident whose plan was applied before the restart", metadata: ["incident": "\(incident)"])
            concludeOutsideEngine(incident, conclusion: "resolved", by: specialist)
        }
        let work = try planExecutor.interruptedWork()
        for (_, incident, specialist) in work.executions where live[incident] != nil {
            heldForRecovery.insert(incident)
            live[incident]?.executedBy = specialist
        }
        let reauction = open.filter { live[$0] != nil && !heldForRecovery.contains($0) }
        awaitingPool = !open.isEmpty
        recoveredIncidents = reauction
        planExecutor.finish(work) { [weak self] incident, outcome, escalation in
            self?.recoveredExecutionFinished(incident, outcome, escalation: escalation)
        }
        return recoveredIncidents
    }

    /// An execution interrupted by a restart is finished. The engine of this process never saw
    /// its incident: applied concludes it here; rolled back re-auctions it (with the other
    /// recovered incidents while the pool reconnects), or escalates it when the runner asks for
    /// a person.
    func recoveredExecutionFinished(_ incident: IncidentID, _ outcome: ExecutionOutcome, escalation: EscalationReason?) {
        count(outcome)
        guard heldForRecovery.remove(incident) != nil, var entry = live[incident] else { return }
        switch outcome {
        case .applied:
            concludeOutsideEngine(incident, conclusion: "resolved", by: entry.executedBy)
        case .rolledBack, .refused:
            entry.executedBy = nil
            live[incident] = entry
            if let escalation {
                planExecutor?.page(entry.incident, why: "\(escalation.name): execution \(outcome.name) after a restart: \(outcome.reason ?? "")")
                concludeOutsideEngine(incident, conclusion: "escalated", by: nil)
                return
            }
            logger.notice("re-auctioning an incident whose execution was rolled back after a restart", metadata: ["incident": "\(incident)"])
            if awaitingPool {
                // Announced to nobody it would burn its attempts: it waits for the pool with the rest.
                recoveredIncidents.append(incident)
                return
            }
            entry.incident.createdAt = now()
            entry.incident.slaDeadline = entry.incident.createdAt + entry.incident.severity.defaultSLASeconds
            live[incident] = entry
            handle(.incidentArrived(entry.incident.ticket))
        }
    }

    /// Record a conclusion the engine did not make (it never held the incident in this process).
    func concludeOutsideEngine(_ incident: IncidentID, conclusion: String, by specialist: String?) {
        guard let entry = live.removeValue(forKey: incident) else { return }
        switch conclusion {
        case "resolved": stats.resolved += 1
        case "escalated": stats.escalated += 1
        default: stats.cancelled += 1
        }
        store.conclude(incident, conclusion: conclusion, by: specialist, plan: entry.plan)
        let event = ConclusionEvent(incident: incident, conclusion: conclusion, specialist: specialist, secondsToConclude: 0, plan: entry.plan)
        for observer in conclusionObservers { observer(event) }
    }
}
