import Foundation
import Testing
@testable import TenderStore

/// A fresh database file in a temporary directory, removed with the test.
final class TemporaryStore {
    let directory: URL
    var path: String { directory.appendingPathComponent("tender.db").path }

    init() {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tender-store-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// A writer whose completions are delivered when the test calls `settle`.
    func writer(maxBatch: Int = 8192) throws -> StoreWriter {
        try StoreWriter(path: path, maxBatch: maxBatch, notify: {})
    }
}

@Suite struct MigrationTests {
    @Test func freshDatabaseGetsEveryMigrationOnce() throws {
        let temp = TemporaryStore()
        let database = try Database(path: temp.path)
        #expect(try Migrator.migrate(database) == Schema.migrations.map(\.id))
        #expect(try Migrator.migrate(database).isEmpty)
        #expect(try Migrator.applied(database) == Schema.migrations.map(\.id))
    }

    @Test func existingIncidentsTableIsAdoptedAndKeepsItsRows() throws {
        let temp = TemporaryStore()
        do {
            // The schema the first SQLiteStore created, with one incident in it.
            let old = try Database(path: temp.path)
            try old.execute("CREATE TABLE incidents (id INTEGER PRIMARY KEY, body TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'open', resolved_by TEXT, plan TEXT, concluded_at REAL)")
            try old.run("INSERT INTO incidents (id, body) VALUES (7, '{}')")
        }
        let reader = try StoreReader(path: temp.path)
        #expect(try reader.history().map(\.id) == [7])
        #expect(try reader.ids().incident == 7)
    }

    @Test func unknownMigrationFromANewerBuildIsRefused() throws {
        let temp = TemporaryStore()
        let database = try Database(path: temp.path)
        try Migrator.migrate(database)
        try database.run("INSERT INTO schema_migrations (id, applied_at) VALUES ('9999_future', 0)")
        #expect(throws: StoreFailure.self) { try Migrator.migrate(database) }
    }

    @Test func failedMigrationLeavesNoTrace() throws {
        let temp = TemporaryStore()
        let database = try Database(path: temp.path)
        let broken = [Migration("0001_ok", "CREATE TABLE a (x)"), Migration("0002_bad", "CREATE TABLE b (x); NOT SQL")]
        #expect(throws: StoreFailure.self) { try Migrator.migrate(database, broken) }
        #expect(try Migrator.applied(database) == ["0001_ok"])
        #expect(try database.rows("SELECT name FROM sqlite_master WHERE name = 'b'").isEmpty)
    }
}

@Suite struct WriterTests {
    @Test func completionsArriveOnlyWhenDeliveredAndRecordsAreReadable() throws {
        let temp = TemporaryStore()
        let writer = try temp.writer()
        var results: [Bool] = []
        writer.submit([.incident(id: 1, body: #"{"service":"api"}"#),
                       .auctionOpened(incident: 1, round: 1, at: 10, closesAt: 12, invited: ["a", "b"]),
                       .bid(incident: 1, round: 1, specialist: "a", value: 0.8, refusal: nil, late: false, at: 11),
                       .bid(incident: 1, round: 1, specialist: "b", value: nil, refusal: "at capacity", late: false, at: 11.5),
                       .award(AwardRecord(incident: 1, round: 1, specialist: "a", rawBid: 0.8, correction: 1.5, failureCost: 0.1, score: 1.3,
                                          decider: "lowest_score", why: "best score", at: 12,
                                          bids: [ScoredBidRecord(specialist: "a", rawBid: 0.8, confidence: 0.9, correction: 1.5, failureCost: 0.1, score: 1.3, considered: true)]))]) {
            results.append((try? $0.get()) != nil)
        }
        #expect(results.isEmpty)
        writer.close()
        #expect(results == [true])
        let timeline = try #require(try StoreReader(path: temp.path).timeline(incident: 1))
        #expect(timeline.auctions.map(\.invited) == [["a", "b"]])
        #expect(timeline.bids.map(\.refusal) == [nil, "at capacity"])
        #expect(timeline.awards.first?.why == "best score")
        #expect(timeline.awards.first?.failureCost == 0.1)
        #expect(timeline.awards.first?.decider == "lowest_score")
        #expect(timeline.awards.first?.bids.map(\.correction) == [1.5])
    }

    @Test func trackRecordsAreReplacedAsTheyChangeAndReadBack() throws {
        let temp = TemporaryStore()
        let writer = try temp.writer()
        writer.submit([.trackRecord(TrackRecordRow(specialist: "db-1", category: "database", calibration: 1.4, failureRate: 0.3, abandonRate: 0.1, observations: 3, updatedAt: 5)),
                       .trackRecord(TrackRecordRow(specialist: "db-1", category: "database", calibration: 1.5, failureRate: 0.2, abandonRate: 0.1, observations: 4, updatedAt: 6)),
                       .trackRecord(TrackRecordRow(specialist: "a-0", category: "network", calibration: 1, failureRate: 0.1, abandonRate: 0, observations: 1, updatedAt: 6))])
        writer.close()
        let rows = try StoreReader(path: temp.path).trackRecords()
        #expect(rows.map(\.specialist) == ["a-0", "db-1"])
        #expect(rows.last?.calibration == 1.5)
        #expect(rows.last?.observations == 4)
    }

    @Test func aBadRecordFailsOnlyItsOwnSubmission() throws {
        let temp = TemporaryStore()
        let writer = try temp.writer()
        var results: [Int: Bool] = [:]
        writer.submit(.incident(id: 1, body: "{}")) { results[1] = (try? $0.get()) != nil }
        // A step of an execution that does not exist violates the foreign key.
        writer.submit(.stepIntent(StepIntentRecord(execution: 99, step: 0, phase: "apply", attempt: 1, action: "x", params: "[]", undo: "noop", idempotent: true, at: 0))) {
            results[2] = (try? $0.get()) != nil
        }
        writer.submit(.incident(id: 3, body: "{}")) { results[3] = (try? $0.get()) != nil }
        writer.close()
        #expect(results == [1: true, 2: false, 3: true])
        #expect(try StoreReader(path: temp.path).history().map(\.id) == [3, 1])
    }

    /// `atomically`: one fact made of several submissions (an execution's outcome, its
    /// incident's conclusion) is committed whole or not at all, even when the writer would
    /// otherwise retry each submission alone.
    @Test func submissionsMadeAtomicallyCommitTogetherOrNotAtAll() throws {
        let temp = TemporaryStore()
        let writer = try temp.writer()
        var results: [String: Bool] = [:]
        writer.submit([.incident(id: 1, body: "{}"), .incident(id: 2, body: "{}"),
                       .executionStarted(id: 1, incident: 1, specialist: "net", playbook: "p", plan: "{}", dryRun: false, at: 1),
                       .executionStarted(id: 2, incident: 2, specialist: "net", playbook: "p", plan: "{}", dryRun: false, at: 1)])
        writer.atomically {
            writer.submit(.executionFinished(id: 1, outcome: "applied", reason: nil, at: 2)) { results["outcome 1"] = (try? $0.get()) != nil }
            writer.submit(.incidentConcluded(id: 1, status: "resolved", resolvedBy: "net", plan: nil, at: 2)) { results["conclusion 1"] = (try? $0.get()) != nil }
        }
        writer.atomically {
            writer.submit(.executionFinished(id: 2, outcome: "applied", reason: nil, at: 2)) { results["outcome 2"] = (try? $0.get()) != nil }
            writer.atomically {
                writer.submit(.incidentConcluded(id: 2, status: "resolved", resolvedBy: "net", plan: nil, at: 2)) { results["conclusion 2"] = (try? $0.get()) != nil }
            }
            // A record that cannot be written (no execution 99): nothing of this group is.
            writer.submit(.stepIntent(StepIntentRecord(execution: 99, step: 0, phase: "apply", attempt: 1, action: "x", params: "[]", undo: "noop", idempotent: true, at: 0)))
            // A read queued inside runs after the group (and sees the group before it).
            writer.read({ database throws(StoreFailure) in try database.rows("SELECT status FROM incidents WHERE id = 1").compactMap { $0.text(0) } }) {
                results["read after group"] = ((try? $0.get()) ?? []) == ["resolved"]
            }
        }
        writer.submit(.incident(id: 3, body: "{}")) { results["after"] = (try? $0.get()) != nil }
        writer.close()
        #expect(results == ["outcome 1": true, "conclusion 1": true, "outcome 2": false, "conclusion 2": false, "read after group": true, "after": true])
        let reader = try StoreReader(path: temp.path)
        #expect(try reader.history().map(\.state) == ["open", "open", "resolved"])
        #expect(try reader.executionsInFlight().map(\.id) == [2])
    }

    /// A coordinator that settles its shutdown while an outcome's callback runs closes the store
    /// inside the group: the conclusion submitted there is still committed.
    @Test func closingInsideAnAtomicGroupCommitsWhatItHolds() throws {
        let temp = TemporaryStore()
        let writer = try temp.writer()
        var durable = false
        writer.atomically {
            writer.submit(.incident(id: 1, body: "{}")) { durable = (try? $0.get()) != nil }
            writer.close()
        }
        #expect(durable)
        #expect(try StoreReader(path: temp.path).history().map(\.id) == [1])
    }

    @Test func stepLogOfAnExecutionInFlightReadsBackInWriteOrder() throws {
        let temp = TemporaryStore()
        let writer = try temp.writer()
        writer.submit([
            .incident(id: 5, body: "{}"),
            .executionStarted(id: 1, incident: 5, specialist: "net", playbook: "absorb", plan: "{}", dryRun: false, at: 1),
            .stepIntent(StepIntentRecord(execution: 1, step: 0, phase: "apply", attempt: 1, action: "rate_limit", params: "[]", undo: "remove_rate_limit", idempotent: true, at: 2)),
            .stepResult(execution: 1, step: 0, phase: "apply", attempt: 1, result: "succeeded", exitStatus: 0, output: "ok", at: 3),
            .stepIntent(StepIntentRecord(execution: 1, step: 1, phase: "apply", attempt: 1, action: "blackhole", params: "[]", undo: "withdraw", idempotent: false, at: 4)),
            .executionStarted(id: 2, incident: 5, specialist: "net", playbook: "absorb", plan: "{}", dryRun: false, at: 5),
            .executionFinished(id: 2, outcome: "applied", reason: nil, at: 6),
        ])
        writer.close()
        let inFlight = try StoreReader(path: temp.path).executionsInFlight()
        #expect(inFlight.map(\.id) == [1])
        #expect(inFlight[0].steps.map(\.action) == ["rate_limit", "blackhole"])
        #expect(inFlight[0].steps.map(\.result) == ["succeeded", nil])
    }

    @Test func auditLogRefusesUpdatesAndDeletes() throws {
        let temp = TemporaryStore()
        let writer = try temp.writer()
        writer.submit(.audit(AuditRecord(at: 1, actor: "coordinator", incident: 1, what: "escalated", why: "attempts exhausted")))
        writer.close()
        let database = try Database(path: temp.path)
        #expect(throws: StoreFailure.self) { try database.run("UPDATE audit SET why = 'nothing'") }
        #expect(throws: StoreFailure.self) { try database.run("DELETE FROM audit") }
        #expect(try database.rows("SELECT why FROM audit").first?.text(0) == "attempts exhausted")
    }
}

@Suite struct ApprovalDeskTests {
    private func storeWithPendingApproval(_ temp: TemporaryStore) throws {
        let writer = try temp.writer()
        writer.submit([
            .incident(id: 3, body: "{}"),
            .executionStarted(id: 1, incident: 3, specialist: "db", playbook: "failover", plan: "{}", dryRun: false, at: 1),
            .approvalRequested(ApprovalRequestRecord(id: 4, execution: 1, incident: 3, step: 1, action: "failover_replica", risk: "high", params: "[]", at: 2, deadline: 300)),
        ])
        writer.close()
    }

    @Test func aDecisionIsRecordedWithItsAuditLineAndOnlyOnce() throws {
        let temp = TemporaryStore()
        try storeWithPendingApproval(temp)
        let database = try Database(path: temp.path)
        let row = try ApprovalDesk.decide(4, .denied, by: "alice", reason: "change freeze", at: 10, in: database)
        #expect(row.decision == "denied")
        #expect(throws: ApprovalDesk.Refused.self) { try ApprovalDesk.decide(4, .approved, by: "bob", reason: nil, at: 11, in: database) }
        #expect(throws: ApprovalDesk.Refused.self) { try ApprovalDesk.decide(99, .approved, by: "bob", reason: nil, at: 11, in: database) }
        let audit = try #require(try StoreReader(database: database).timeline(incident: 3)?.audit)
        #expect(audit.map(\.actor) == ["alice"])
        #expect(audit.first?.why == "change freeze")
    }

    @Test func timeoutLosesToAnEarlierPersonAndViceVersa() throws {
        let temp = TemporaryStore()
        try storeWithPendingApproval(temp)
        let database = try Database(path: temp.path)
        _ = try ApprovalDesk.decide(4, .approved, by: "alice", reason: "looks right", at: 10, in: database)
        let writer = try temp.writer()
        writer.submit(.approvalDecided(id: 4, decision: "timed_out", by: "coordinator", reason: "no decision in 300 s", at: 301))
        writer.close()
        #expect(try StoreReader(path: temp.path).approval(id: 4)?.decision == "approved")
        let audit = try database.rows("SELECT actor, what, why FROM audit")
        #expect(audit.map { $0.text(0) } == ["alice"])
        #expect(audit.first?.text(2) == "looks right")
    }
}
