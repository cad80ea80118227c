import Testing
@testable import TenderCore

@Suite struct FairnessTests {
    @Test func equalWorkIsPerfectlyFair() {
        var tracker = FairnessTracker(capabilities: [1, 1, 1, 1])
        for i in 0..<4 { tracker.record(i, work: 10) }
        let fair = tracker.snapshot.raw
        #expect(abs(fair.jain - 1) < 1e-12)
        #expect(abs(fair.gini) < 1e-12)
        #expect(fair.maxMinRatio == 1)
    }

    @Test func oneSpecialistDoingEverythingScoresOneOverN() {
        var tracker = FairnessTracker(capabilities: [1, 1, 1, 1])
        tracker.record(2, work: 50)
        let unfair = tracker.snapshot.raw
        #expect(abs(unfair.jain - 0.25) < 1e-12)
        #expect(abs(unfair.gini - 0.75) < 1e-12, "Gini of (0,0,0,x) is (n-1)/n")
        #expect(unfair.maxMinRatio == nil)
    }

    @Test func incrementalJainMatchesTheFormula() {
        var random = SeededGenerator(seed: 3)
        var tracker = FairnessTracker(capabilities: [1, 2, 3, 4, 5])
        for _ in 0..<1000 { tracker.record(random.nextIndex(below: 5), work: random.nextUnit()) }
        let x = tracker.work
        let direct = x.reduce(0, +) * x.reduce(0, +) / (5 * x.reduce(0) { $0 + $1 * $1 })
        #expect(abs(tracker.snapshot.raw.jain - direct) < 1e-9)
    }

    @Test func workProportionalToCapabilityIsFairOnceNormalised() {
        var tracker = FairnessTracker(capabilities: [1, 2, 4])
        tracker.record(0, work: 10)
        tracker.record(1, work: 20)
        tracker.record(2, work: 40)
        #expect(tracker.snapshot.raw.jain < 0.9)
        #expect(abs(tracker.snapshot.normalised.jain - 1) < 1e-12)
        #expect(abs(tracker.snapshot.normalised.gini) < 1e-12)
        #expect(tracker.shares.map { ($0 * 70).rounded() } == [10, 20, 40])
    }

    @Test func giniOfAKnownVector() {
        // Mean absolute difference of (1,2,3,4) over all ordered pairs is 1.25; G = 1.25 / (2·2.5).
        #expect(abs(FairnessIndices(values: [4, 1, 3, 2]).gini - 0.25) < 1e-12)
    }
}
