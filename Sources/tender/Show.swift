import ArgumentParser
import Foundation
import TenderHTTP
import TenderService
import TenderStore

/// `tender show INCIDENT`: one incident's whole timeline from the store. The timeline is built by
/// `StoredTimelineMapping`, the same code `GET /v1/incidents/{id}` answers with, and `--json`
/// prints exactly the API's bytes.
struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print one incident's timeline: arrival, CFPs, bids, award and why, steps, undos, approvals, pages, end.",
        discussion: "Times are wall-clock UTC. --json prints what GET /v1/incidents/{id} returns, byte for byte (docs/JSON.md)."
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
        guard let id, let stored = try store.reader().timeline(incident: id) else {
            throw ValidationError("no incident \(incident) in \(store.db)")
        }
        let timeline = StoredTimelineMapping.timeline(stored)
        if json {
            FileHandle.standardOutput.write(try timeline.encoded() + Data("\n".utf8))
            return
        }
        for event in timeline.events { print("\(isoTime(event.at))  \(event.detail)") }
        for auction in timeline.auctions.reversed() where auction.winner != nil {
            print("")
            print(Self.scoreTable(auction))
        }
        let summary = timeline.incident
        print("state: \(summary.state.rawValue)\(summary.specialist.map { " (\($0))" } ?? "")")
    }

    /// Every proposal of an awarded round with the parts of its score, best first.
    static func scoreTable(_ auction: AuctionSummary) -> String {
        var lines = ["round \(auction.round) scores (score = bid × calibration + failure cost; lowest wins): \(auction.reason)"]
        let scored = auction.bids.filter { $0.score != nil }.sorted { ($0.score ?? 0, $0.specialist) < ($1.score ?? 0, $1.specialist) }
        let width = max(10, scored.map(\.specialist.count).max() ?? 0)
        lines.append("  " + "specialist".padding(toLength: width, withPad: " ", startingAt: 0) + "     bid s  calibration  failure cost s     score  outcome")
        for bid in scored {
            let cells = [bid.etaSeconds, bid.correction, bid.expectedFailureCost, bid.score].map { value in
                value.map { String(format: "%.3f", $0) } ?? "-"
            }
            lines.append("  " + bid.specialist.padding(toLength: width, withPad: " ", startingAt: 0)
                + cells[0].leftPadded(10) + cells[1].leftPadded(13) + cells[2].leftPadded(16) + cells[3].leftPadded(10) + "  " + bid.outcome.rawValue)
        }
        return lines.joined(separator: "\n")
    }
}

private extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
