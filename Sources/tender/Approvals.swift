import ArgumentParser
import Foundation
import TenderStore

/// `tender approvals list|approve|deny`: a person's side of the approval gate. Decisions go into
/// the coordinator's store (with an audit line); the running coordinator polls the store for
/// them, so this works while it runs, after it restarts, and needs no extra port.
struct Approvals: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List, approve or deny remediation steps waiting for a person.",
        subcommands: [List.self, Approve.self, Deny.self],
        defaultSubcommand: List.self
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Steps waiting for approval.")
        @OptionGroup var store: StoreOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let pending = try store.reader().pendingApprovals()
            if json {
                try SnakeJSON.print(["approvals": pending])
                return
            }
            if pending.isEmpty { print("nothing waits for approval in \(store.db)") }
            for row in pending {
                print("\(row.id)\tINC-\(row.incident)\texecution \(row.execution) step \(row.step + 1)\t\(row.action) \(row.params)\t\(row.risk) risk\tdeadline \(isoTime(row.deadline))")
            }
        }
    }

    struct Decision: ParsableArguments {
        @Argument(help: "The approval id (from `tender approvals list`).") var id: Int64
        @Option(help: "Why: recorded in the audit log.") var reason: String?
        @Option(help: "Who decides; defaults to $USER.") var by: String?
        @OptionGroup var store: StoreOptions
        @Flag(help: "Print JSON.") var json = false

        func decide(_ decision: ApprovalDesk.Decision) throws {
            let person = by ?? ProcessInfo.processInfo.environment["USER"] ?? "unknown"
            guard FileManager.default.fileExists(atPath: store.db) else { throw ValidationError("no store at \(store.db); pass the coordinator's --db") }
            do {
                let row = try ApprovalDesk.decide(id, decision, by: person, reason: reason, at: Date().timeIntervalSince1970, in: Database(path: store.db, create: false))
                if json {
                    try SnakeJSON.print(row)
                } else {
                    let next = decision == .approved ? "it runs" : "what ran is undone and the incident escalates"
                    print("approval \(row.id) \(decision.rawValue) by \(person): step \(row.step + 1) \(row.action) of INC-\(row.incident); \(next) once the coordinator sees it")
                }
            } catch let refused as ApprovalDesk.Refused {
                throw ValidationError(refused.description)
            }
        }
    }

    struct Approve: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Let a waiting step run.")
        @OptionGroup var decision: Decision
        func run() throws { try decision.decide(.approved) }
    }

    struct Deny: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Refuse a waiting step: its execution rolls back and the incident escalates (approval_denied), paging people.")
        @OptionGroup var decision: Decision
        func run() throws { try decision.decide(.denied) }
    }
}
