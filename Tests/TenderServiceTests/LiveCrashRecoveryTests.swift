import Foundation
import Testing

/// Issue 9's crash test: a storm against the command driver, the coordinator killed with
/// SIGKILL at seeded moments (measured in ledger lines, so the kills land mid-execution), and
/// restarted on the same store each time. Afterwards every execution in the ledger is fully
/// applied or fully undone in reverse order, and every acknowledged incident has exactly one
/// terminal state.
@Suite(.serialized) struct LiveCrashRecoveryTests {
    /// SplitMix64: the kill moments are reproducible from the seed.
    struct Moments {
        var state: UInt64
        mutating func next(in range: ClosedRange<Int>) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            return range.lowerBound + Int(z % UInt64(range.count))
        }
    }

    /// Freeze the coordinator so it starts nothing new, then kill it and the step programs it
    /// runs, at once: a host crash, where a step's program dies with its executor. (A program
    /// that outlived the coordinator could finish after the restart had already undone it.)
    static func crash(_ coordinator: LiveCoordinator) {
        let pid = coordinator.process.process.processIdentifier
        kill(pid, SIGSTOP)
        let children = ProcessTree.children(of: pid)
        for child in children { kill(child, SIGKILL) }
        kill(pid, SIGKILL)
        _ = coordinator.process.waitForExit()
    }

    @Test func killMinus9AtSeededMomentsLeavesNoHalfAppliedPlanAndConcludesEveryIncidentOnce() throws {
        let directory = try LedgerActions.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let ledger = "\(directory)/ledger.jsonl"
        // Rollbacks here come from the crashes (an interrupted step that is not idempotent);
        // a step that always fails is LiveExecutionTests' (with it, the engine would exclude the
        // only specialist whose plans fit and wait out `noCapableTimeout` for the others).
        let actions = try LedgerActions.write(ledger: ledger, in: directory)
        let database = "\(directory)/tender.db"
        let options = ["--db", database, "--executor", "command", "--actions", actions, "--admission-target-ms", "0"]
        var coordinator = try LiveCoordinator(options)
        let pinned = ["--listen", coordinator.specialists, "--intake", coordinator.intake]
        let specialists = try ["security", "network", "performance", "database"].map {
            try coordinator.specialist($0, name: $0, ["--time-scale", "0.0002", "--failure-scale", "0"])
        }
        // Released early in an optimised build otherwise (its deinit stops the process or closes
        // the sockets), which would end it before the test is done with it.
        defer { withExtendedLifetime(specialists) {} }
        let count = 40
        let file = writeTemporary(incidentLines(count))
        // Without --wait: a watcher misses conclusions made while it reconnects, so the store
        // is the judge of what concluded. submit resends unanswered lines across the kills.
        let submit = try LiveProcess("submit", ["submit", "--intake", coordinator.intake, "--file", file, "--timeout", "150"])

        var moments = Moments(state: 0x7E4D_E5EE_D009)
        var target = 0
        var kills = 0
        for _ in 0..<5 {
            target += moments.next(in: 4...14)
            let reached = ProcessTree.waitUntil(timeout: 40) { LedgerActions.lineCount(ledger) >= target }
            guard reached else { break }
            Self.crash(coordinator)
            kills += 1
            coordinator = try LiveCoordinator(options + pinned)
        }
        #expect(kills == 5, "the work ended before the kills: ledger has \(LedgerActions.lineCount(ledger)) lines")
        #expect(submit.waitForExit(timeout: 160) == 0, "submit: \(submit.stderr.suffix(2000))")
        let replies = submit.allLines.compactMap(LiveProcess.json).filter { $0["ok"] as? Bool == true }
        let acknowledged = Set(replies.compactMap { ($0["id"] as? NSNumber)?.uint64Value })
        #expect(acknowledged.count == count)
        // Every acknowledged incident settles. (An incident whose execution a restart found
        // already over once stayed open here: RestartRecoveryTests pins that down.)
        let settled = ProcessTree.waitUntil(timeout: 120) {
            guard let audit = try? ExecutionAudit(database: database) else { return false }
            return acknowledged.allSatisfy { audit.statuses[$0].map { $0 != "open" } ?? false }
        }
        #expect(settled, "incidents still open: \(coordinator.process.stderr.suffix(3000))\n\(specialists.map { "\($0.name): \($0.stderr.suffix(2500))" }.joined(separator: "\n"))")
        coordinator.process.signal(SIGTERM)
        #expect(coordinator.process.waitForExit() == 0)

        let audit = try ExecutionAudit(database: database)
        for id in acknowledged {
            #expect(["resolved", "escalated", "cancelled"].contains(audit.statuses[id] ?? "missing"), "INC-\(id) is \(audit.statuses[id] ?? "missing")")
            #expect(audit.conclusions[id] == 1, "INC-\(id) concluded \(audit.conclusions[id] ?? 0) times")
        }
        // An applied plan and its incident's resolution are one fact.
        for execution in audit.executions.values where execution.outcome == "applied" {
            #expect(audit.statuses[execution.incident] == "resolved", "execution \(execution.id) applied, INC-\(execution.incident) is \(audit.statuses[execution.incident] ?? "missing")")
        }
        let entries = LedgerActions.read(ledger)
        #expect(LedgerActions.lineCount(ledger) >= target)
        let byExecution = Dictionary(grouping: entries, by: \.execution)
        #expect(!byExecution.isEmpty)
        for (execution, mine) in byExecution {
            let problems = audit.problems(execution: Int64(execution) ?? -1, entries: mine)
            #expect(problems.isEmpty, "\(problems)")
        }
        // Kills landed mid-execution: restarts found executions in flight and finished them.
        #expect(audit.recoveredExecutions > 0)
        // No execution is left in flight, and one was resolved at least.
        #expect(audit.executions.values.allSatisfy { $0.outcome != nil })
        #expect(audit.statuses.values.contains("resolved"))
    }
}
