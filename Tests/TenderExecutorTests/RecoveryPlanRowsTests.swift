import Foundation
import Testing
import TenderCore
import TenderStore
@testable import TenderExecutor

/// A restart rebuilds each interrupted plan from its stored columns (migration
/// `0004_execution_recovery`) exactly as it was validated, and falls back to the plan's JSON for
/// executions recorded before those columns existed.
@Suite struct RecoveryPlanRowsTests {
    static let plan = ValidatedPlan(incident: IncidentID(7), specialist: "network-2", playbook: "absorb-flood", steps: [
        ValidatedStep(action: "rate_limit", undo: "remove_rate_limit", risk: .low,
                      parameters: [TypedParameter(name: "ip", type: .ip, value: "2001:db8::1"), TypedParameter(name: "requests_per_s", type: .count, value: "100")],
                      idempotent: true, undoIdempotent: true, retries: 2, undoRetries: 3, timeoutSeconds: 30, undoTimeoutSeconds: 45),
        ValidatedStep(action: "blackhole_prefix", undo: "noop", risk: .high, parameters: [TypedParameter(name: "query", type: .query, value: "a;b|c 'd' \"e\" ñ")],
                      idempotent: false, undoIdempotent: false, timeoutSeconds: 120, undoTimeoutSeconds: 5),
        ValidatedStep(action: "notify", undo: "noop", risk: .none, parameters: []),
    ])

    func store(_ records: [StoreRecord]) throws -> (StoreReader, String) {
        let path = NSTemporaryDirectory() + "tender-plan-rows-\(UUID().uuidString).db"
        let writer = try StoreWriter(path: path, notify: {})
        writer.submit([.incident(id: 7, body: "{}")] + records)
        writer.close()
        return (try StoreReader(path: path), path)
    }

    func started(_ id: Int64, steps: [StoredPlanStep], json: String? = nil) throws -> StoreRecord {
        let text = try json ?? String(decoding: JSONEncoder().encode(Self.plan), as: UTF8.self)
        return .executionStarted(id: id, incident: 7, specialist: "network-2", playbook: "absorb-flood", plan: text, dryRun: false, at: 1, steps: steps)
    }

    @Test func aPlanReadBackFromItsColumnsIsThePlanThatWasValidated() throws {
        // Its JSON is unreadable: only the columns can have produced it.
        let (reader, path) = try store([try started(1, steps: Self.plan.storedSteps, json: "not json")])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let logs = try reader.executionsInFlight()
        #expect(logs.map(\.planSteps.count) == [3])
        #expect(ValidatedPlan(recovering: logs[0]) == Self.plan)
        // `tender show` sees the same execution, with its plan's steps.
        #expect(try reader.timeline(incident: 7)?.executions.first?.planSteps == Self.plan.storedSteps)
    }

    @Test func anExecutionRecordedBeforeTheColumnsIsReadFromItsJSON() throws {
        let (reader, path) = try store([try started(1, steps: [])])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let logs = try reader.executionsInFlight()
        #expect(logs[0].planSteps.isEmpty)
        #expect(ValidatedPlan(recovering: logs[0]) == Self.plan)
    }

    @Test func columnsThatDoNotReadBackFallBackToTheJSONAndNeitherIsNil() throws {
        var bad = Self.plan.storedSteps
        bad[1].risk = "catastrophic"
        let (reader, path) = try store([try started(1, steps: bad), try started(2, steps: bad, json: "{}")])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let logs = try reader.executionsInFlight()
        #expect(ValidatedPlan(recovering: logs[0]) == Self.plan)
        #expect(ValidatedPlan(recovering: logs[1]) == nil)
    }
}
