import ArgumentParser
import Foundation
import TenderCore
import TenderStore

/// `tender show INCIDENT`: one incident's whole timeline from the store.
struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print one incident's timeline: arrival, CFPs, bids, award and why, steps, undos, approvals, pages, end."
    )

    @Argument(help: "The incident: INC-42 or 42.")
    var incident: String

    @OptionGroup var store: StoreOptions

    @Flag(help: "Print JSON.")
    var json = false

    var id: UInt64? { UInt64(incident.hasPrefix("INC-") ? String(incident.dropFirst(4)) : incident) }

    func validate() throws {
        guard id != nil else { throw ValidationError("`\(incident)` is not an incident id, expected INC-42 or 42") }
    }

    func run() throws {
        guard let id, let timeline = try store.reader().timeline(incident: id) else {
            throw ValidationError("no incident \(incident) in \(store.db)")
        }
        if json {
            try SnakeJSON.print(timeline)
            return
        }
        for (at, line) in Self.lines(timeline).sorted(by: { $0.0 < $1.0 }) {
            print("\(isoTime(at))  \(line)")
        }
        print("state: \(timeline.incident.state)\(timeline.incident.resolvedBy.map { " by \($0)" } ?? "")")
    }

    /// Every event with its time; sorted by the caller so the story reads in order.
    static func lines(_ timeline: IncidentTimeline) -> [(Double, String)] {
        var lines: [(Double, String)] = []
        let summary = timeline.incident
        if let incident = try? JSONDecoder().decode(Incident.self, from: Data(summary.body.utf8)) {
            let entities = incident.entities.map { "\($0)" }.joined(separator: ", ")
            lines.append((incident.createdAt.seconds, "arrived: \(incident.severity.name) \(incident.category.name) service=\(incident.service) region=\(incident.region)\(entities.isEmpty ? "" : " entities: \(entities)")"))
        }
        for auction in timeline.auctions {
            lines.append((auction.openedAt, "cfp round \(auction.round) to \(auction.invited.joined(separator: ", "))\(auction.closesAt.map { ", closes \(isoTime($0))" } ?? "")"))
        }
        for bid in timeline.bids {
            let what = bid.value.map { "bid \($0)" } ?? "refused: \(bid.refusal ?? "no reason")"
            lines.append((bid.at, "round \(bid.round) \(bid.specialist) \(what)\(bid.late ? " (late, ignored)" : "")"))
        }
        for award in timeline.awards {
            lines.append((award.at, "awarded round \(award.round) to \(award.specialist): bid \(award.rawBid), correction \(award.correction), score \(award.score): \(award.why)"))
        }
        for execution in timeline.executions {
            lines.append((execution.startedAt, "execution \(execution.id) started: \(execution.playbook) by \(execution.specialist)\(execution.dryRun ? " (dry run)" : "")"))
            for step in execution.steps {
                let label = "execution \(execution.id) step \(step.step + 1) \(step.phase) \(step.action) attempt \(step.attempt)"
                lines.append((step.intentAt, "\(label): intent recorded \(step.params) (undo: \(step.undo))"))
                if let result = step.result {
                    let output = (step.output ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                    lines.append((step.resultAt ?? step.intentAt, "\(label): \(result)\(step.exitStatus.map { " (exit \($0))" } ?? "")\(output.isEmpty ? "" : "\n    " + output.replacingOccurrences(of: "\n", with: "\n    "))"))
                }
            }
            if let outcome = execution.outcome {
                lines.append((execution.finishedAt ?? execution.startedAt, "execution \(execution.id) \(outcome)\(execution.reason.map { ": \($0)" } ?? "")"))
            }
        }
        for approval in timeline.approvals {
            lines.append((approval.requestedAt, "approval \(approval.id) requested: step \(approval.step + 1) \(approval.action) \(approval.params) (\(approval.risk) risk), deadline \(isoTime(approval.deadline))"))
            if let decision = approval.decision {
                lines.append((approval.decidedAt ?? approval.requestedAt, "approval \(approval.id) \(decision) by \(approval.decidedBy ?? "?"): \(approval.reason ?? "no reason given")"))
            }
        }
        for page in timeline.pages {
            let state = page.deliveredAt.map { "delivered \(isoTime($0))" } ?? "not delivered yet (\(page.attempts) attempts\(page.lastError.map { ", last error: \($0)" } ?? ""))"
            lines.append((page.createdAt, "page \(page.id): \(state)"))
        }
        for entry in timeline.audit {
            lines.append((entry.at, "audit: \(entry.actor): \(entry.what) (why: \(entry.why))"))
        }
        if let concluded = summary.concludedAt {
            lines.append((concluded, "concluded: \(summary.state)\(summary.resolvedBy.map { " by \($0)" } ?? "")"))
        }
        return lines
    }
}
