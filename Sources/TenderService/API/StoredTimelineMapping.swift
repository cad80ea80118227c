import Foundation
import TenderCore
import TenderHTTP
import TenderStore

/// The one place an incident's timeline is built: from the store's record of it alone, so
/// `GET /v1/incidents/{id}` and `tender show` (human and `--json`) tell the same story, and the
/// dashboard's recent auctions and executions read the same shapes.
public enum StoredTimelineMapping {
    /// The timeline of a stored incident. A body that does not read as an incident (rows written
    /// by tools, or by an older build) still has a timeline, with its category and severity
    /// `unknown`.
    public static func timeline(_ stored: TenderStore.IncidentTimeline) -> TenderHTTP.IncidentTimeline {
        let decoded = try? JSONDecoder().decode(Incident.self, from: Data(stored.incident.body.utf8))
        let incident = decoded ?? Incident(id: IncidentID(stored.incident.id), category: .security, severity: .low, createdAt: .zero)
        var summary = summary(stored, incident)
        if decoded == nil {
            summary.category = "unknown"
            summary.severity = "unknown"
        }
        return TenderHTTP.IncidentTimeline(incident: summary, entities: incident.entities.map { TimelineEntity(type: $0.typeName, value: $0.value) }, events: TimelineStory.events(stored, summary, incident),
                                           auctions: auctions(stored, category: incident.category).reversed(),
                                           executions: executions(stored).reversed())
    }

    /// The incident as the API lists it, from the store only: the state of an open incident is
    /// read from its auctions, awards and executions, and its time is when intake accepted it.
    static func summary(_ stored: TenderStore.IncidentTimeline, _ incident: Incident) -> TenderHTTP.IncidentSummary {
        let state: IncidentState
        switch stored.incident.state {
        case "resolved": state = .resolved
        case "escalated": state = .escalated
        case "cancelled": state = .cancelled
        default:
            if let running = stored.executions.last(where: { $0.outcome == nil }) {
                state = stored.approvals.contains { $0.execution == running.id && $0.decision == nil } ? .awaitingApproval : .executing
            } else if let round = stored.auctions.last?.round {
                state = stored.awards.contains { $0.round == round } ? .awarded : .auctioning
            } else {
                state = .queued
            }
        }
        let specialist = stored.incident.resolvedBy ?? stored.executions.last?.specialist ?? stored.awards.last?.specialist
        // Rows written without intake's audit line (tools, older builds): the first thing recorded.
        let recorded = stored.auctions.map(\.openedAt) + stored.bids.map(\.at) + stored.executions.map(\.startedAt)
            + stored.audit.map(\.at) + [stored.incident.concludedAt].compactMap { $0 }
        let received = stored.incident.receivedAt ?? recorded.min() ?? 0
        return TenderHTTP.IncidentSummary(id: stored.incident.id, category: incident.category, severity: incident.severity, state: state,
                                          service: incident.service, region: incident.region, createdAt: received,
                                          specialist: specialist, reference: stored.incident.reference)
    }

    /// Each round, newest first: every answer with its score parts, and why the winner won.
    static func auctions(_ stored: TenderStore.IncidentTimeline, category: IncidentCategory) -> [AuctionSummary] {
        stored.auctions.reversed().map { auction in
            let award = stored.awards.first { $0.round == auction.round }
            let bids = stored.bids.filter { $0.round == auction.round }.map { bid -> BidSummary in
                let scored = award?.bids.first { $0.specialist == bid.specialist }
                let won = award?.specialist == bid.specialist && bid.value != nil && !bid.late
                let outcome: BidSummary.Outcome = bid.late ? .late : bid.value == nil ? .refused
                    : won ? .won : scored?.considered == false ? .noCapacity : .lost
                guard outcome == .won || outcome == .lost || outcome == .noCapacity, let award else {
                    return BidSummary(specialist: bid.specialist, outcome: outcome, etaSeconds: bid.value, refusal: bid.refusal)
                }
                if let scored {
                    return BidSummary(specialist: bid.specialist, outcome: outcome, etaSeconds: bid.value, confidence: scored.confidence,
                                      score: scored.score, correction: scored.correction, expectedFailureCost: scored.failureCost)
                }
                // Awards stored before each proposal's score was: only the winner's is known.
                return won ? BidSummary(specialist: bid.specialist, outcome: outcome, etaSeconds: bid.value, score: award.score,
                                        correction: award.correction, expectedFailureCost: award.failureCost)
                    : BidSummary(specialist: bid.specialist, outcome: outcome, etaSeconds: bid.value)
            }
            return AuctionSummary(incidentId: stored.incident.id, round: auction.round, category: category, at: auction.openedAt,
                                  winner: award?.specialist, reason: award?.why ?? "no award this round", decider: award?.decider, bids: bids)
        }
    }

    /// Each execution, newest first, with the last state of each step.
    static func executions(_ stored: TenderStore.IncidentTimeline) -> [ExecutionSummary] {
        stored.executions.reversed().map { execution in
            let state: ExecutionSummary.State = switch execution.outcome {
            case nil: stored.approvals.contains { $0.execution == execution.id && $0.decision == nil } ? .awaitingApproval : .running
            case "applied"?, "succeeded"?: .succeeded
            case "rolled_back"?: .rolledBack
            default: .failed
            }
            var steps: [Int: ExecutionStep] = [:]
            for entry in execution.steps {
                let stepState: ExecutionStep.State = switch (entry.phase, entry.result) {
                case ("undo", _): .rolledBack
                case (_, nil): .running
                case (_, "succeeded"?), (_, "ok"?): .succeeded
                default: .failed
                }
                if entry.phase == "undo" {
                    // The step keeps its own action, parameters and result; the undo marks it.
                    steps[entry.step, default: ExecutionStep(name: entry.action, state: .rolledBack)].state = .rolledBack
                    continue
                }
                if steps[entry.step]?.state == .rolledBack { continue }
                steps[entry.step] = ExecutionStep(name: entry.action, state: stepState, undo: entry.undo.isEmpty ? nil : entry.undo,
                                                  params: entry.params, exitStatus: entry.exitStatus, output: entry.output)
            }
            return ExecutionSummary(incidentId: execution.incident, specialist: execution.specialist, state: state,
                                    startedAt: execution.startedAt, steps: steps.keys.sorted().compactMap { steps[$0] },
                                    id: execution.id, playbook: execution.playbook, dryRun: execution.dryRun,
                                    finishedAt: execution.finishedAt, reason: execution.reason)
        }
    }
}
