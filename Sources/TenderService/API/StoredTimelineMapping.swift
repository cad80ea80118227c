import TenderCore
import TenderHTTP
import TenderStore

/// The store's record of an incident (what `tender show` reads) in the dashboard's shapes:
/// its auctions with every bid and why the winner won, and its executions with their steps.
enum StoredTimelineMapping {
    static func timeline(_ stored: TenderStore.IncidentTimeline, summary: TenderHTTP.IncidentSummary?, wallAtEpoch: Double) -> TenderHTTP.IncidentTimeline? {
        guard let summary else { return nil }
        var events = [TimelineEvent(at: summary.createdAt, kind: "received", detail: "\(summary.severity) \(summary.category) service=\(summary.service) region=\(summary.region)")]
        for auction in stored.auctions {
            events.append(TimelineEvent(at: auction.openedAt, kind: "announced", detail: "round \(auction.round) to \(auction.invited.joined(separator: ", "))"))
        }
        for bid in stored.bids {
            events.append(TimelineEvent(at: bid.at, kind: bid.value == nil ? "refused" : "bid", specialist: bid.specialist,
                                        detail: bid.value.map { "round \(bid.round) bid \($0)\(bid.late ? " (late, ignored)" : "")" } ?? "round \(bid.round): \(bid.refusal ?? "no reason")"))
        }
        for award in stored.awards {
            events.append(TimelineEvent(at: award.at, kind: "awarded", specialist: award.specialist, detail: "round \(award.round), score \(award.score): \(award.why)"))
        }
        for execution in stored.executions {
            for step in execution.steps {
                guard let result = step.result else { continue }
                let kind = step.phase == "undo" ? "rolled_back" : (result == "succeeded" || result == "ok" ? "step_succeeded" : "step_failed")
                events.append(TimelineEvent(at: step.resultAt ?? step.intentAt, kind: kind, specialist: execution.specialist, detail: "step \(step.step + 1) \(step.action): \(result)"))
            }
        }
        for approval in stored.approvals {
            events.append(TimelineEvent(at: approval.requestedAt, kind: "approval_requested", detail: "approval \(approval.id): step \(approval.step + 1) \(approval.action) (\(approval.risk) risk)"))
            if let decision = approval.decision {
                events.append(TimelineEvent(at: approval.decidedAt ?? approval.requestedAt, kind: decision, detail: "approval \(approval.id) by \(approval.decidedBy ?? "?"): \(approval.reason ?? "no reason given")"))
            }
        }
        for entry in stored.audit {
            events.append(TimelineEvent(at: entry.at, kind: "audit", detail: "\(entry.actor): \(entry.what) (why: \(entry.why))"))
        }
        if let concluded = stored.incident.concludedAt {
            events.append(TimelineEvent(at: concluded, kind: stored.incident.state, specialist: stored.incident.resolvedBy, detail: "concluded: \(stored.incident.state)"))
        }
        return TenderHTTP.IncidentTimeline(incident: summary, events: events.sorted { $0.at < $1.at })
    }

    static func auctions(_ stored: TenderStore.IncidentTimeline, category: IncidentCategory) -> [AuctionSummary] {
        stored.auctions.reversed().map { auction in
            let award = stored.awards.first { $0.round == auction.round }
            let bids = stored.bids.filter { $0.round == auction.round }.map { bid in
                BidSummary(specialist: bid.specialist,
                           outcome: bid.late ? .late : bid.value == nil ? .refused : (bid.specialist == award?.specialist ? .won : .lost),
                           etaSeconds: bid.value, score: bid.specialist == award?.specialist ? award?.score : nil, refusal: bid.refusal)
            }
            return AuctionSummary(incidentId: stored.incident.id, round: auction.round, category: category, at: auction.openedAt,
                                  winner: award?.specialist, reason: award?.why ?? "no award this round", bids: bids)
        }
    }

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
                if steps[entry.step]?.state == .rolledBack { continue }
                steps[entry.step] = ExecutionStep(name: entry.action, state: stepState, undo: entry.undo.isEmpty ? nil : entry.undo)
            }
            return ExecutionSummary(incidentId: execution.incident, specialist: execution.specialist, state: state,
                                    startedAt: execution.startedAt, steps: steps.keys.sorted().compactMap { steps[$0] })
        }
    }
}
