import Foundation
import Testing
import TenderConfig
import TenderCore
@testable import TenderSim

/// Issue 12's goal, checked at one seed (the CI over seeds is `tender bench reputation`): a
/// specialist that fails half its tasks receives at most half the awards of an otherwise
/// identical reliable peer once it has a record, and only because reputation is on.
struct ReputationGoalTests {
    static let peer = Repository.path("simulations/unreliable-peer.yaml")

    @Test func anUnreliablePeerGetsAtMostHalfTheAwardsOfItsReliableTwin() throws {
        let scenario = try ScenarioLoader.load(path: Self.peer)
        let on = try #require(ReputationStudy.run(scenario, reputation: true, seeds: [12]).first)
        let off = try #require(ReputationStudy.run(scenario, reputation: false, seeds: [12]).first)
        let ratioOn = try #require(ReputationStudy.awardRatio(on, unreliable: "security-unreliable", reliable: "security-reliable"))
        let ratioOff = try #require(ReputationStudy.awardRatio(off, unreliable: "security-unreliable", reliable: "security-reliable"))
        #expect(ratioOn <= 0.5, "with reputation: \(ratioOn) awards to the unreliable one per award to the reliable one")
        #expect(ratioOff > 0.8, "without it the two share the work: \(ratioOff)")
        #expect(ratioOn < ratioOff)
        // The record shows why: the unreliable one's failures, the reliable one's none.
        let failures = on.summary.failureRate
        #expect((failures["security-unreliable"] ?? nil).map { $0 > 0.3 } == true, "\(failures)")
        #expect((failures["security-reliable"] ?? nil).map { $0 < 0.05 } == true, "\(failures)")
    }

    @Test func theStudyRejectsNamesThePoolDoesNotHave() throws {
        let scenario = try ScenarioLoader.load(path: Self.peer)
        let result = try #require(ReputationStudy.run(scenario, reputation: true, seeds: [1]).first)
        #expect(ReputationStudy.awardRatio(result, unreliable: "nobody", reliable: "security-reliable") == nil)
        #expect(ReputationStudy.awards(result, to: "security-reliable").map { $0 > 0 } == true)
    }

    @Test func pairedDifferencesAreTakenSeedBySeed() {
        let interval = ReputationStudy.pairedDifference([10, 12, 14], [9, 11, 13])
        #expect(interval.mean == 1)
        #expect(interval.halfWidth == 0, "the same difference at every seed is certain")
    }
}
