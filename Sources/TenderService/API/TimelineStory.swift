import Foundation
import TenderCore
import TenderHTTP
import TenderStore

/// An incident's stored record told as events, oldest first, each complete in words: what
/// `tender show` prints line by line and the timeline's `events` carry. Every time is the wall
/// clock the store recorded (the incident's own `createdAt` is engine time and is not used).
enum TimelineStory {
    static func events(_ stored: TenderStore.IncidentTimeline, _ summary: TenderHTTP.IncidentSummary, _ incident: Incident) -> [TimelineEvent] {
        var events: [TimelineEvent] = []
        func add(_ at: Double, _ kind: String, _ specialist: String? = nil, _ detail: String) {
            events.append(TimelineEvent(at: at, kind: kind, specialist: specialist, detail: detail))
        }
        let entities = incident.entities.map { "\($0.typeName)=\($0.value)" }.joined(separator: ", ")
        add(summary.createdAt, "received", nil, "received: \(summary.severity) \(summary.category) service=\(summary.service) region=\(summary.region)"
            + (entities.isEmpty ? "" : " entities: \(entities)") + (stored.incident.reference.map { " ref \($0)" } ?? ""))
        for auction in stored.auctions {
            add(auction.openedAt, "announced", nil, "round \(auction.round): call for proposals to \(auction.invited.isEmpty ? "nobody" : auction.invited.joined(separator: ", "))"
                + (auction.closesAt.map { ", replies by \(time($0))" } ?? ""))
        }
        for bid in stored.bids {
            if let value = bid.value {
                add(bid.at, bid.late ? "late" : "bid", bid.specialist, "round \(bid.round): \(bid.specialist) bids \(figure(value)) s\(bid.late ? " (late, ignored)" : "")")
            } else {
                add(bid.at, "refused", bid.specialist, "round \(bid.round): \(bid.specialist) refuses: \(bid.refusal ?? "no reason")\(bid.late ? " (late)" : "")")
            }
        }
        for award in stored.awards {
            add(award.at, "awarded", award.specialist, "round \(award.round): awarded to \(award.specialist): bid \(figure(award.rawBid)) s × calibration \(figure(award.correction))"
                + " + failure cost \(figure(award.failureCost)) s = score \(figure(award.score)); \(award.why)")
        }
        for execution in stored.executions { executionEvents(execution, add) }
        for approval in stored.approvals {
            add(approval.requestedAt, "approval_requested", nil, "approval \(approval.id) requested: step \(approval.step + 1) \(approval.action) \(approval.params) (\(approval.risk) risk), deadline \(time(approval.deadline))")
            if let decision = approval.decision {
                add(approval.decidedAt ?? approval.requestedAt, decision, approval.decidedBy, "approval \(approval.id) \(decision) by \(approval.decidedBy ?? "?"): \(approval.reason ?? "no reason given")")
            }
        }
        for page in stored.pages {
            let state = page.deliveredAt.map { "delivered \(time($0))" } ?? "not delivered yet (\(page.attempts) attempts\(page.lastError.map { ", last error: \($0)" } ?? ""))"
            add(page.createdAt, "page", nil, "page \(page.id): \(state)")
        }
        for entry in stored.audit {
            add(entry.at, "audit", nil, "audit: \(entry.actor): \(entry.what) (why: \(entry.why))")
        }
        if let concluded = stored.incident.concludedAt {
            add(concluded, stored.incident.state, stored.incident.resolvedBy, "concluded: \(stored.incident.state)\(stored.incident.resolvedBy.map { " by \($0)" } ?? "")")
        }
        // Oldest first; events recorded at the same instant keep the order above.
        return events.enumerated().sorted { $0.element.at != $1.element.at ? $0.element.at < $1.element.at : $0.offset < $1.offset }.map(\.element)
    }

    private static func executionEvents(_ execution: ExecutionLog, _ add: (Double, String, String?, String) -> Void) {
        let by = execution.specialist
        add(execution.startedAt, "execution_started", by, "execution \(execution.id) started: \(execution.playbook) by \(by)\(execution.dryRun ? " (dry run)" : "")")
        for step in execution.steps {
            let label = "execution \(execution.id) step \(step.step + 1) \(step.phase) \(step.action) attempt \(step.attempt)"
            add(step.intentAt, "step_intent", by, "\(label): intent recorded \(step.params) (undo: \(step.undo))")
            guard let result = step.result else { continue }
            let kind = step.phase == "undo" ? "rolled_back" : (result == "succeeded" || result == "ok" ? "step_succeeded" : "step_failed")
            let output = (step.output ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            add(step.resultAt ?? step.intentAt, kind, by, "\(label): \(result)\(step.exitStatus.map { " (exit \($0))" } ?? "")"
                + (output.isEmpty ? "" : "\n    " + output.replacingOccurrences(of: "\n", with: "\n    ")))
        }
        if let outcome = execution.outcome {
            add(execution.finishedAt ?? execution.startedAt, "execution_finished", by, "execution \(execution.id) \(outcome)\(execution.reason.map { ": \($0)" } ?? "")")
        }
    }

    /// Seconds with at most three decimals, trailing zeros dropped.
    static func figure(_ value: Double) -> String {
        guard value.isFinite else { return "\(value)" }
        var text = String(format: "%.3f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// A wall-clock time, ISO 8601 in UTC with milliseconds.
    static func time(_ seconds: Double) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date(timeIntervalSince1970: seconds))
    }
}
