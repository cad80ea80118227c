import Foundation
import Testing

/// Issue 8, item 5: against real processes, an incident the security specialist cannot act on
/// (security/high without `user` or `host`) is refused once and escalated as `not_actionable`
/// with the specialist's reason, while a well-formed one resolves. Waits on events, not time.
@Suite(.serialized) struct LiveNotActionableTests {
    @Test func anIncidentLackingItsPlaybooksEntitiesEscalatesOnceWithTheReasonAndAWellFormedOneResolves() throws {
        let coordinator = try LiveCoordinator()
        let security = try coordinator.specialist("security", name: "security-1", ["--time-scale", "0.0002", "--failure-scale", "0", "--announce-tasks"])
        defer { security.stop() }
        let lacking = #"{"category":"security","severity":"high","service":"api","region":"eu-west-1","entities":[{"type":"ip","value":"203.0.113.9"}]}"#
        let file = writeTemporary(lacking + "\n" + incidentLines(1, categories: ["security"]))
        let submit = try LiveProcess("submit", ["submit", "--intake", coordinator.intake, "--file", file, "--wait", "--timeout", "60"])
        #expect(submit.waitForExit(timeout: 70) == 0, "submit: \(submit.stderr)")
        let replies = submit.allLines.compactMap(LiveProcess.json)
        let ids = replies.filter { $0["ok"] as? Bool == true }.compactMap { ($0["id"] as? NSNumber)?.uint64Value }
        try #require(ids.count == 2)
        let conclusions = Dictionary(
            replies.filter { $0["event"] as? String == "concluded" }.compactMap { line in (line["id"] as? NSNumber).map { ($0.uint64Value, line) } },
            uniquingKeysWith: { first, _ in first }
        )
        #expect(conclusions[ids[0]]?["conclusion"] as? String == "escalated")
        #expect(conclusions[ids[1]]?["conclusion"] as? String == "resolved")
        #expect(conclusions[ids[1]]?["playbook"] as? String == "contain-brute-force")
        // The reason is named: the escalation carries the specialist's detail.
        // (Logged before the conclusion is sent, so it is in the file by now.)
        let log = coordinator.process.stderr
        #expect(log.contains("not_actionable: contain-brute-force needs entity `user`"), "coordinator: \(log.suffix(2000))")
        // Caught once: one auction per incident, no re-auction, never awarded to the specialist.
        let peer = try RawPeer(coordinator.intake)
        peer.send(Array("{\"op\":\"stats\"}\n".utf8))
        let counters = try #require(LiveHardeningTests.replies(peer, count: 1).first)
        #expect(counters["auctions"] as? Int == 2)
        #expect(counters["reauctions"] as? Int == 0)
        #expect(counters["escalated"] as? Int == 1)
        #expect(counters["resolved"] as? Int == 1)
        let awards = security.allLines.compactMap(LiveProcess.json).filter { $0["event"] as? String == "awarded" }
        #expect(awards.compactMap { ($0["incident"] as? NSNumber)?.uint64Value } == [ids[1]])
    }
}
