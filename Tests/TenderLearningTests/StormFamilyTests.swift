import Testing
import TenderConfig
import TenderCore
@testable import TenderLearning

/// The storm families: the held-out storms stay exactly what every reported figure was measured
/// on, and the training family's planned outages take away every specialist able to take a
/// category, generalists included, for a while.
@Suite struct StormFamilyTests {
    /// Seeds 10000–10015 of the hold-out family as they were when the held-out tables in
    /// docs/LEARNING.md were measured: the hash of each description, the sums of the crash
    /// models' mean times between crashes and downtimes, and the total arrival rate. A change to
    /// the training family must not move any of them.
    static let heldOut: [(seed: UInt64, hash: String, mtbf: Double, downtime: Double, rate: Double)] = [
        (10000, "f6ac053c74408083", 13801.606339891045, 5240.840735991293, 0.07140350580859006),
        (10001, "f113d02736b41f06", 35822.84522452537, 9581.43288238152, 0.06247949287712716),
        (10002, "2da694a889530b3a", 13159.77321141522, 948.2310608296476, 0.02017227209448921),
        (10003, "f5e1a038dc08e10b", 22465.97768636012, 8593.186588995719, 0.02011800779093889),
        (10004, "b340aaf1912ab801", 4899.402651203746, 1003.7312590827504, 0.04708489331115517),
        (10005, "44b5cfe04c6c1008", 15960.574990120287, 8251.571392676804, 0.01972051475412617),
        (10006, "47542d55847f4987", 6452.958807202289, 1249.0051120703765, 0.01976682817253155),
        (10007, "bffa8fcb8d70f26d", 8298.964211144234, 1715.5496867232712, 0.014411824762815537),
        (10008, "f24494cf72f07815", 34468.85951198124, 8452.325897726874, 0.023839156743509643),
        (10009, "a2a973ac53d1e26d", 24642.946773991163, 4264.932170738372, 0.06769539704167418),
        (10010, "f91fbdf8a70b0b86", 4945.382369748176, 2671.2084562538885, 0.04257159984888352),
        (10011, "a5271ffd2d815abb", 16914.209966363815, 3303.4280264793065, 0.06022987725464773),
        (10012, "2b576737e159a9b", 35543.1310110624, 7950.5151649148565, 0.03289340657484106),
        (10013, "421df55eb7620464", 24838.857270268978, 4612.106260121958, 0.03744485529314061),
        (10014, "e8f1602ee6da20dd", 3622.6689171658813, 3066.400486264189, 0.040671720718865455),
        (10015, "2d51e021072bb502", 9316.073769686835, 5086.256320664528, 0.018871124069958382),
    ]

    @Test func heldOutStormsAreUnchanged() throws {
        let family = StormFamily(kind: .holdout, profiles: try BiddingTests.profiles())
        for pinned in Self.heldOut {
            let (scenario, description) = family.storm(seed: pinned.seed)
            #expect(StormFamily.hash(description) == pinned.hash, "held-out storm \(pinned.seed) moved: \(description)")
            let mtbf = scenario.specialists.compactMap { $0.crash?.meanTimeBetween }.reduce(0, +)
            let downtime = scenario.specialists.compactMap { $0.crash?.downtime }.reduce(0, +)
            let rate = scenario.arrivals.map(\.rate).reduce(0, +)
            #expect(abs(mtbf - pinned.mtbf) <= 1e-9 * pinned.mtbf)
            #expect(abs(downtime - pinned.downtime) <= 1e-9 * pinned.downtime)
            #expect(abs(rate - pinned.rate) <= 1e-9 * pinned.rate)
            #expect(!description.contains("outage"))
            #expect(scenario.specialists.allSatisfy { $0.leaveAt == nil && $0.joinAt == 0 })
        }
    }

    @Test func aboutAThirdOfTrainingStormsHaveAnOutage() throws {
        let family = StormFamily(kind: .training, profiles: try BiddingTests.profiles())
        let storms = (0..<UInt64(400)).map { family.storm(seed: 20_000 + $0) }
        let withOutage = storms.filter { $0.description.contains(" outage=") }
        let share = Double(withOutage.count) / Double(storms.count)
        #expect(abs(share - StormFamily.outageShare) < 0.07, "share \(share)")
        for (scenario, _) in withOutage {
            let leaving = scenario.specialists.filter { $0.leaveAt != nil }
            let returning = scenario.specialists.filter { $0.joinAt > 0 }
            #expect(leaving.count >= 2 && leaving.count == returning.count) // every category has a rota and a generalist
            let departures = Set(leaving.compactMap(\.leaveAt))
            #expect(departures.count == 1)
            #expect(StormFamily.outageLength.contains(returning[0].joinAt - departures.first!))
        }
        // The same seed gives the same storm, outage included.
        #expect(family.storm(seed: 20_001).description == family.storm(seed: 20_001).description)
    }

    /// A security outage takes away the security rota and the generalists that can take
    /// security work (network 0.40, database 0.15); performance (0.05) stays.
    @Test func anOutageSplitsEveryCapableGroupAroundIt() throws {
        let profiles = try BiddingTests.profiles()
        let groups = profiles.map {
            SpecialistGroup(name: $0.name, count: 2, kind: $0.kind, capacity: $0.capacity, skills: $0.skills, service: $0.service, failure: $0.failure)
        }
        let outage = Outage(category: .security, start: 3600, length: 1500)
        #expect(outage.end == 5100)
        let split = outage.apply(to: groups, minimumSkill: 0.1)
        let names = split.map(\.name)
        #expect(names.contains("performance") && !names.contains("performance (after outage)"))
        for (name, leaves) in [("security", 3600.0), ("network", 3600), ("database", 3600)] {
            let before = try #require(split.first { $0.name == name })
            let after = try #require(split.first { $0.name == "\(name) (after outage)" })
            #expect(before.leaveAt == leaves && before.joinAt == 0)
            #expect(after.joinAt == 5100 && after.leaveAt == nil && after.count == before.count)
        }
        // A group gone before it would leave is untouched; one leaving during the outage is not brought back.
        var leavingEarly = groups[0]
        leavingEarly.leaveAt = 1800
        var leavingDuring = groups[2]
        leavingDuring.leaveAt = 4800
        let partial = outage.apply(to: [leavingEarly, leavingDuring], minimumSkill: 0.1)
        #expect(partial.map(\.name) == [leavingEarly.name, leavingDuring.name])
        #expect(partial[0].leaveAt == 1800 && partial[1].leaveAt == 3600)
    }

    /// Through the real simulator: a storm with an outage escalates what waits for the
    /// category as `no_capable_specialist` with nobody present, and a policy that sheds
    /// capable work has some of the incidents it declined among them; honest bidders do not.
    @Test func outageEscalationsAreCountedAsNobodyPresent() throws {
        let family = StormFamily(kind: .training, profiles: try BiddingTests.profiles())
        let seed = try #require((UInt64(20_000)..<20_100).first { family.storm(seed: $0).description.contains(" outage=") })
        let results = try BiddingEvaluation.runWithEscalations(family: family, seeds: [seed], contenders: [
            .init(label: "honest", policy: HonestETAPolicy()),
            .init(label: "shedding", policy: LoadSheddingPolicy(threshold: 0.25)),
        ])
        let honest = results[0].escalations
        let shedding = results[1].escalations
        #expect(honest.nobodyPresentNeverDeclined + honest.nobodyPresentDeclinedBefore > 0)
        #expect(honest.nobodyPresentDeclinedBefore == 0 && honest.presentDeclined == 0) // honest never refuses with a free slot
        #expect(shedding.nobodyPresentDeclinedBefore > 0)
        #expect(results[0].row.escalatedShare > 0)
        // Each row carries the SLA-risk pages a live coordinator would add, from the same count.
        for (row, escalations) in results {
            let share = try #require(row.slaRiskShare)
            #expect(share >= 0 && share < 1)
            #expect(row.liveEscalatedShare >= row.escalatedShare)
            #expect((share == 0) == (escalations.resolvedPastSLARiskPoint == 0))
        }
    }
}
