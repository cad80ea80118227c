import Foundation
import Testing
import TenderStore
import TenderUV
@testable import TenderExecutor

@Suite(.serialized) struct PagerTests {
    @Test func scheduleBacksOffExponentiallyAndCaps() {
        let schedule = PageSchedule(firstRetrySeconds: 2, capSeconds: 30)
        #expect((1...6).map { schedule.delay(afterFailedAttempts: $0) } == [2, 4, 8, 16, 30, 30])
    }

    @Test func payloadIsAnAlertmanagerStyleWebhook() throws {
        let payload = PagePayload(incident: "INC-9", labels: ["severity": "critical"], summary: "escalated", description: "attempts exhausted", startsAt: "2026-01-01T00:00:00Z")
        let json = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(payload)) as? [String: Any]
        #expect(json?["version"] as? String == "4")
        #expect(json?["status"] as? String == "firing")
        let alert = (json?["alerts"] as? [[String: Any]])?.first
        #expect((alert?["labels"] as? [String: String])?["incident"] == "INC-9")
        #expect((alert?["annotations"] as? [String: String])?["description"] == "attempts exhausted")
    }

    /// A real notify command that fails once, then takes the page from stdin: the failure is
    /// stored, the retry delivers it, and the payload arrives byte for byte.
    @Test func aFailedPageIsRecordedAndRetriedUntilDelivered() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tender-page-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let mark = scratch.appendingPathComponent("failed-once").path
        let received = scratch.appendingPathComponent("received.json").path
        let loop = try EventLoop()
        let bridge = StoreLoopBridge()
        let writer = try StoreWriter(path: scratch.appendingPathComponent("tender.db").path, notify: bridge.notify)
        try bridge.attach(to: loop, writer: writer)
        // The test's own fixed script; the page's content only ever arrives on stdin.
        let script = "if [ -e \"$1\" ]; then cat > \"$2\"; else : > \"$1\"; echo 'receiver down' >&2; exit 1; fi"
        let pager = Pager(loop: loop, writer: writer, clock: LoopClock(loop: loop), argv: ["/bin/sh", "-c", script, "notify", mark, received],
                          ids: StoreIDs(incident: 0, execution: 0, approval: 0, session: 0, page: 0), schedule: PageSchedule(firstRetrySeconds: 0.01, capSeconds: 0.01))
        let payload = #"{"incident":"INC-5","note":"$(reboot); `id` | rm -rf /"}"#
        pager.onDelivered = { _ in bridge.close() }
        let id = pager.page(incident: 5, payload: payload)
        loop.run()
        writer.drain()
        #expect(pager.outstanding == 0)
        #expect(try String(contentsOfFile: received, encoding: .utf8) == payload)
        writer.close()
        loop.close()
        let page = try #require(try StoreReader(path: scratch.appendingPathComponent("tender.db").path).database
            .rows("SELECT attempts, last_error, delivered_at FROM pages WHERE id = ?", [.integer(id)]).first)
        #expect(page.integer(0) == 2)
        #expect(page.real(2) != nil)
    }
}
