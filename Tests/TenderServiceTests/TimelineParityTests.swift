import Foundation
import Logging
import Testing
import TenderCore
@testable import TenderHTTP
@testable import TenderService
import TenderStore
import TenderUV
import TenderWire

/// `GET /v1/incidents/{id}` and `tender show --json` print the same timeline, byte for byte,
/// built once from the store: here for an incident with bids, a refusal, a late bid, two awards
/// (the first explained by a calibration), steps, a failure rolled back, an approval, a page and
/// its conclusion.
@Suite struct TimelineParityTests {
    static func filledStore(_ path: String) throws {
        let writer = try StoreWriter(path: path) {}
        var incident = Incident(id: IncidentID(7), category: .security, severity: .high, service: "auth", region: "eu-west-1",
                                entities: [.user("mallory"), .host("web-3")], createdAt: Instant(seconds: 12))
        incident.slaDeadline = Instant(seconds: 912)
        let body = String(decoding: try JSONEncoder().encode(incident), as: UTF8.self)
        let t = 1_764_480_000.0
        let round1 = AwardRecord(incident: 7, round: 1, specialist: "security-1", rawBid: 60, correction: 1, failureCost: 0, score: 60,
                                 decider: "lowest_score", why: "won on the lowest score (score 60 of 2 proposals; runner-up security-0, score 75)", at: t + 0.3,
                                 bids: [ScoredBidRecord(specialist: "security-0", rawBid: 30, confidence: 0.8, correction: 2.5, failureCost: 0, score: 75, considered: true),
                                        ScoredBidRecord(specialist: "security-1", rawBid: 60, confidence: 0.9, correction: 1, failureCost: 0, score: 60, considered: true)])
        let round2 = AwardRecord(incident: 7, round: 2, specialist: "security-0", rawBid: 30, correction: 2.5, failureCost: 0, score: 75,
                                 decider: "only_bid", why: "won on the only bid in the running (score 75 of 1 proposal)", at: t + 40,
                                 bids: [ScoredBidRecord(specialist: "security-0", rawBid: 30, confidence: 0.8, correction: 2.5, failureCost: 0, score: 75, considered: true)])
        writer.submit([
            .incident(id: 7, body: body),
            .audit(AuditRecord(at: t, actor: "coordinator", incident: 7, what: "incident 7 accepted", why: "intake")),
            .auctionOpened(incident: 7, round: 1, at: t + 0.01, closesAt: t + 0.26, invited: ["security-0", "security-1", "security-2"]),
            .bid(incident: 7, round: 1, specialist: "security-0", value: 30, refusal: nil, late: false, at: t + 0.1),
            .bid(incident: 7, round: 1, specialist: "security-2", value: nil, refusal: "at capacity", late: false, at: t + 0.1),
            .bid(incident: 7, round: 1, specialist: "security-1", value: 60, refusal: nil, late: false, at: t + 0.2),
            .award(round1),
            .executionStarted(id: 1, incident: 7, specialist: "security-1", playbook: "lock-account", plan: "{}", dryRun: false, at: t + 10),
            .stepIntent(StepIntentRecord(execution: 1, step: 0, phase: "apply", attempt: 1, action: "disable_user", params: #"["mallory"]"#, undo: "enable_user", idempotent: true, at: t + 10.1)),
            .stepResult(execution: 1, step: 0, phase: "apply", attempt: 1, result: "succeeded", exitStatus: 0, output: "ok", at: t + 11),
            .stepIntent(StepIntentRecord(execution: 1, step: 1, phase: "apply", attempt: 1, action: "block_host", params: #"["web-3"]"#, undo: "unblock_host", idempotent: true, at: t + 11.1)),
            .stepResult(execution: 1, step: 1, phase: "apply", attempt: 1, result: "failed", exitStatus: 2, output: "firewall said no", at: t + 12),
            .stepIntent(StepIntentRecord(execution: 1, step: 0, phase: "undo", attempt: 1, action: "enable_user", params: #"["mallory"]"#, undo: "", idempotent: true, at: t + 12.1)),
            .stepResult(execution: 1, step: 0, phase: "undo", attempt: 1, result: "succeeded", exitStatus: 0, output: "", at: t + 13),
            .executionFinished(id: 1, outcome: "rolled_back", reason: "step 2 block_host failed", at: t + 13),
            .auctionOpened(incident: 7, round: 2, at: t + 39, closesAt: t + 39.25, invited: ["security-0"]),
            .bid(incident: 7, round: 2, specialist: "security-0", value: 30, refusal: nil, late: false, at: t + 39.1),
            .bid(incident: 7, round: 1, specialist: "security-2", value: 45, refusal: nil, late: true, at: t + 39.5),
            .award(round2),
            .executionStarted(id: 2, incident: 7, specialist: "security-0", playbook: "lock-account", plan: "{}", dryRun: false, at: t + 41),
            .approvalRequested(ApprovalRequestRecord(id: 1, execution: 2, incident: 7, step: 0, action: "disable_user", risk: "high", params: #"["mallory"]"#, at: t + 41, deadline: t + 341)),
            .stepIntent(StepIntentRecord(execution: 2, step: 0, phase: "apply", attempt: 1, action: "disable_user", params: #"["mallory"]"#, undo: "enable_user", idempotent: true, at: t + 50)),
            .stepResult(execution: 2, step: 0, phase: "apply", attempt: 1, result: "succeeded", exitStatus: 0, output: "ok", at: t + 51),
            .executionFinished(id: 2, outcome: "applied", reason: nil, at: t + 52),
            .pageQueued(id: 1, incident: 7, payload: "{}", at: t + 14),
            .incidentConcluded(id: 7, status: "resolved", resolvedBy: "security-0", plan: nil, at: t + 52),
        ])
        writer.submit(.approvalDecided(id: 1, decision: "approved", by: "alice", reason: "looks right", at: t + 45))
        writer.close()
    }

    @Test func theAPIAndShowPrintTheSameBytes() throws {
        let path = NSTemporaryDirectory() + "tender-timeline-\(UUID().uuidString).db"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        try Self.filledStore(path)

        let loop = try EventLoop()
        let store = try CoordinatorStore(path: path, loop: loop)
        defer { store.close() }
        let coordinator = try Coordinator(config: CoordinatorConfig(), loop: loop, store: store, key: .development, logger: Logger(label: "test"))
        let router = APIRouter(backend: try CoordinatorAPIBackend(coordinator: coordinator), metrics: MetricsRegistry(), events: EventHub())
        var answer: HTTPResponse?
        router.handle(HTTPRequest(method: "GET", target: "/v1/incidents/INC-7"), responder: HTTPResponder { answer = $0 })
        let response = try #require(answer)
        #expect(response.status.code == 200)

        let show = Process()
        show.executableURL = URL(fileURLWithPath: LiveProcess.tenderPath)
        show.arguments = ["show", "INC-7", "--db", path, "--json"]
        let output = Pipe()
        show.standardOutput = output
        show.standardError = FileHandle.nullDevice
        try show.run()
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        show.waitUntilExit()
        #expect(show.terminationStatus == 0)
        #expect(printed == Data(response.body) + Data("\n".utf8), "show --json:\n\(String(decoding: printed, as: UTF8.self))\nAPI:\n\(String(decoding: response.body, as: UTF8.self))")

        // What both say: wall-clock times, each award's parts, the rollback.
        let timeline = try APIJSON.decoder.decode(TenderHTTP.IncidentTimeline.self, from: Data(response.body))
        #expect(timeline.incident.createdAt == 1_764_480_000)
        #expect(timeline.incident.state == .resolved)
        #expect(timeline.events.map(\.at) == timeline.events.map(\.at).sorted())
        #expect(timeline.events.first?.kind == "received")
        let kinds = Set(timeline.events.map(\.kind))
        #expect(kinds.isSuperset(of: ["announced", "bid", "refused", "late", "awarded", "step_intent", "step_succeeded", "step_failed", "rolled_back",
                                      "execution_finished", "approval_requested", "approved", "page", "audit", "resolved"]), "\(kinds)")
        let first = try #require(timeline.auctions.first)
        #expect(first.round == 1)
        #expect(first.winner == "security-1")
        #expect(first.decider == "lowest_score")
        let optimist = try #require(first.bids.first { $0.specialist == "security-0" })
        #expect(optimist.outcome == .lost)
        #expect(optimist.etaSeconds == 30)
        #expect(optimist.correction == 2.5)
        #expect(optimist.score == 75)
        #expect(first.bids.first { $0.specialist == "security-2" && $0.outcome == .refused }?.refusal == "at capacity")
        #expect(timeline.auctions.last?.bids.isEmpty == false)
        #expect(timeline.executions.map(\.state) == [.rolledBack, .succeeded])
        let rolledBack = try #require(timeline.executions.first)
        #expect(rolledBack.steps.map(\.state) == [.rolledBack, .failed])
        #expect(rolledBack.steps.map(\.name) == ["disable_user", "block_host"])
        #expect(rolledBack.steps.last?.exitStatus == 2)
        #expect(rolledBack.steps.last?.output == "firewall said no")
        #expect(rolledBack.reason == "step 2 block_host failed")
        #expect(timeline.entities == [TimelineEntity(type: "user", value: "mallory"), TimelineEntity(type: "host", value: "web-3")])
        let awarded = try #require(timeline.events.first { $0.kind == "awarded" })
        #expect(awarded.detail.contains("bid 60 s × calibration 1 + failure cost 0 s = score 60"), "\(awarded.detail)")
    }
}
