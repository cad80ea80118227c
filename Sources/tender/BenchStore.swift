import ArgumentParser
import Foundation
import TenderCore
import TenderExecutor
import TenderStore

/// `tender bench store`: durable records per second with group commit against one commit per
/// record, and the time to recover executions in flight after a crash.
struct BenchStore: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Time the store: durable records/s (group commit vs one commit per record) and crash recovery."
    )

    @Option(help: "Records written with group commit (each its own submission and completion).")
    var records = 200_000

    @Option(help: "Records written one commit (one fsync) each.")
    var singleCommitRecords = 2_000

    @Option(help: "Executions in flight to recover.")
    var inFlight = 10_000

    @Flag(help: "Record the executions without their stored steps (as before migration 0004), so recovery decodes each plan's JSON.")
    var fromJSON = false

    @Option(help: "Directory for the benchmark's database files (removed afterwards).")
    var directory = NSTemporaryDirectory()

    @Flag(help: "Print JSON (the only output format; accepted for symmetry with the other benches).")
    var json = false

    struct Report: Encodable {
        var build: String
        var journal = "wal"
        var synchronous = "full"
        var groupCommitRecords: Int
        var groupCommitRecordsPerS: Double
        var groupCommitCommits: Int
        var commitPerRecordRecords: Int
        var commitPerRecordRecordsPerS: Double
        var speedup: Double
        var recoveryExecutions: Int
        var recoveryPlansFrom: String
        var recoveryS: Double
        var recoveryReadS: Double
        var recoveryDecodeS: Double
        var recoveryDecideS: Double
        var recoveryResumed: Int
        var recoveryRolledBack: Int

        enum CodingKeys: String, CodingKey {
            case build, journal, synchronous, speedup
            case groupCommitRecords = "group_commit_records"
            case groupCommitRecordsPerS = "records_per_s"
            case groupCommitCommits = "group_commit_transactions"
            case commitPerRecordRecords = "commit_per_record_records"
            case commitPerRecordRecordsPerS = "commit_per_record_records_per_s"
            case recoveryExecutions = "recovery_executions"
            case recoveryPlansFrom = "recovery_plans_from"
            case recoveryS = "recovery_s"
            case recoveryReadS = "recovery_read_s"
            case recoveryDecodeS = "recovery_decode_s"
            case recoveryDecideS = "recovery_decide_s"
            case recoveryResumed = "recovery_resumed_forward"
            case recoveryRolledBack = "recovery_rolled_back"
        }
    }

    func validate() throws {
        guard records > 0, singleCommitRecords > 0, inFlight > 0 else { throw ValidationError("counts must be positive") }
    }

    func run() throws {
        #if DEBUG
        let build = "debug"
        printError("warning: this is a debug build; benchmark figures need `swift build -c release`")
        #else
        let build = "release"
        #endif
        let base = URL(fileURLWithPath: directory).appendingPathComponent("tender-bench-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }
        let bar = ProgressBar("benchmarking store", total: 3)

        let group = try Self.timeWrites(path: base.appendingPathComponent("group.db").path, records: records, maxBatch: 8192)
        bar.update(1)
        let single = try Self.timeWrites(path: base.appendingPathComponent("single.db").path, records: singleCommitRecords, maxBatch: 1)
        bar.update(2)
        let recovery = try Self.timeRecovery(path: base.appendingPathComponent("recovery.db").path, executions: inFlight, fromJSON: fromJSON)
        bar.finish()

        let groupRate = Double(records) / group.seconds
        let singleRate = Double(singleCommitRecords) / single.seconds
        try JSONOutput.print(Report(
            build: build, groupCommitRecords: records, groupCommitRecordsPerS: groupRate.rounded(), groupCommitCommits: group.commits,
            commitPerRecordRecords: singleCommitRecords, commitPerRecordRecordsPerS: singleRate.rounded(),
            speedup: (groupRate / singleRate * 10).rounded() / 10,
            recoveryExecutions: inFlight, recoveryPlansFrom: fromJSON ? "json" : "columns", recoveryS: recovery.seconds, recoveryReadS: recovery.read, recoveryDecodeS: recovery.decode,
            recoveryDecideS: recovery.decide, recoveryResumed: recovery.resumed, recoveryRolledBack: recovery.rolledBack))
    }

    /// Submit `records` bids one by one, as a loop would, and wait until the last is durable.
    static func timeWrites(path: String, records: Int, maxBatch: Int) throws -> (seconds: Double, commits: Int) {
        let wakeups = DispatchSemaphore(value: 0)
        let writer = try StoreWriter(path: path, maxBatch: maxBatch, notify: { wakeups.signal() })
        var durable = 0
        var failures = 0
        let start = Date()
        for index in 0..<records {
            writer.submit(.bid(incident: UInt64(index / 4 + 1), round: 1, specialist: "network-\(index % 4)", value: 0.5, refusal: nil, late: false, at: Double(index))) { result in
                if case .success = result { durable += 1 } else { failures += 1 }
            }
        }
        var commits = 0
        while durable + failures < records {
            wakeups.wait()
            commits += 1
            writer.deliverCompletions()
        }
        let seconds = Date().timeIntervalSince(start)
        writer.close()
        guard failures == 0 else { throw ValidationError("\(failures) writes failed") }
        return (seconds, commits)
    }

    /// Fill a store with executions interrupted mid-step, then time what a restart does: read the
    /// in-flight step logs, rebuild the plans (from their stored steps; `--from-json` from their
    /// JSON, as before migration 0004), decide each one and start its machine.
    static func timeRecovery(path: String, executions: Int, fromJSON: Bool) throws -> (seconds: Double, read: Double, decode: Double, decide: Double, resumed: Int, rolledBack: Int) {
        let writer = try StoreWriter(path: path, notify: {})
        let encoder = JSONEncoder()
        for index in 0..<executions {
            let id = Int64(index + 1)
            let idempotent = index % 2 == 0
            let steps = (0..<3).map { step in
                ValidatedStep(action: "step_\(step)", undo: "undo_\(step)", risk: .low,
                              parameters: [TypedParameter(name: "host", type: .host, value: "web-\(index).example.com")], idempotent: idempotent)
            }
            let plan = ValidatedPlan(incident: IncidentID(UInt64(id)), specialist: "network", playbook: "bench", steps: steps)
            let json = String(decoding: try encoder.encode(plan), as: UTF8.self)
            writer.submit([
                .incident(id: UInt64(id), body: "{}"),
                .executionStarted(id: id, incident: UInt64(id), specialist: "network", playbook: "bench", plan: json, dryRun: false, at: 0, steps: fromJSON ? [] : plan.storedSteps),
                .stepIntent(StepIntentRecord(execution: id, step: 0, phase: "apply", attempt: 1, action: "step_0", params: "[]", undo: "undo_0", idempotent: idempotent, at: 1)),
                .stepResult(execution: id, step: 0, phase: "apply", attempt: 1, result: "succeeded", exitStatus: 0, output: "", at: 2),
                .stepIntent(StepIntentRecord(execution: id, step: 1, phase: "apply", attempt: 1, action: "step_1", params: "[]", undo: "undo_1", idempotent: idempotent, at: 3)),
            ])
        }
        writer.close()

        let start = Date()
        let reader = try StoreReader(path: path)
        let logs = try reader.executionsInFlight()
        let read = Date()
        let decoder = JSONDecoder()
        let plans = try logs.map { log in
            guard let plan = ValidatedPlan(recovering: log, decoder: decoder) else { throw ValidationError("execution \(log.id): unreadable plan") }
            return plan
        }
        let decoded = Date()
        let policy = ExecutionPolicy(gate: ApprovalGate(threshold: nil))
        var resumed = 0
        var rolledBack = 0
        for (log, plan) in zip(logs, plans) {
            let decision = RecoveryPlanner.decide(plan: plan, log: log.steps, policy: policy)
            var machine = ExecutionMachine(plan: plan, policy: policy, recovering: decision)
            let first = machine.handle(.start, now: Instant(seconds: 0))
            guard !first.isEmpty else { throw ValidationError("execution \(log.id) did not restart") }
            if case .resumeForward = decision.direction { resumed += 1 } else { rolledBack += 1 }
        }
        let end = Date()
        let seconds = end.timeIntervalSince(start)
        guard logs.count == executions else { throw ValidationError("found \(logs.count) executions in flight, expected \(executions)") }
        return (seconds, read.timeIntervalSince(start), decoded.timeIntervalSince(read), end.timeIntervalSince(decoded), resumed, rolledBack)
    }
}
