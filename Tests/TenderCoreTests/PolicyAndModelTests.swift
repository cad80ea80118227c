import Testing
@testable import TenderCore

@Suite struct PolicyAndModelTests {
    func observation(skill: Double = 0.9, load: Int = 0, capacity: Int = 4, severity: Severity = .high) -> Observation {
        Observation(category: .security, severity: severity, age: 0, slackToSLA: 600, skill: skill, expectedService: 300, load: load, capacity: capacity)
    }

    @Test func honestBidsItsSkillAdjustedETA() {
        guard case .bid(let bid) = HonestETAPolicy().decide(observation(skill: 0.5)) else { Issue.record("expected a bid"); return }
        #expect(bid.eta == 600)
        #expect(bid.confidence == 0.5)
    }

    @Test func honestRefusesWhenUnableOrFull() {
        #expect(HonestETAPolicy().decide(observation(skill: 0.01)) == .refuse(.notCapable))
        #expect(HonestETAPolicy().decide(observation(load: 4)) == .refuse(.atCapacity))
    }

    @Test func loadSheddingKeepsHeadroomForCriticalIncidents() {
        let policy = LoadSheddingPolicy(threshold: 0.75)
        #expect(policy.decide(observation(load: 3, severity: .high)) == .refuse(.atCapacity))
        guard case .bid = policy.decide(observation(load: 3, severity: .critical)) else { Issue.record("critical should get a bid"); return }
        guard case .bid = policy.decide(observation(load: 2, severity: .low)) else { Issue.record("below threshold should bid"); return }
    }

    @Test func generatorIsReproducibleAndUniform() {
        var a = SeededGenerator(seed: 42)
        var b = SeededGenerator(seed: 42)
        #expect((0..<100).map { _ in a.next() } == (0..<100).map { _ in b.next() })
        var c = SeededGenerator(seed: 1)
        let mean = (0..<100_000).reduce(0.0) { sum, _ in sum + c.nextUnit() } / 100_000
        #expect(abs(mean - 0.5) < 0.01)
        #expect((0..<10_000).allSatisfy { _ in (0..<7).contains(c.nextIndex(below: 7)) })
    }

    @Test(arguments: [
        ServiceDistribution.exponential(mean: 120),
        .lognormal(mean: 120, sigma: 0.8),
        .deterministic(120),
    ])
    func samplesHaveTheDeclaredMean(distribution: ServiceDistribution) {
        var random = SeededGenerator(seed: 9)
        let n = 200_000
        let mean = (0..<n).reduce(0.0) { sum, _ in sum + distribution.sample(&random) } / Double(n)
        #expect(abs(mean - 120) / 120 < 0.01)
    }

    @Test func failureGrowsAsSkillFalls() {
        let model = FailureModel(base: 0.02, slope: 0.5)
        #expect(model.probability(skill: 1) == 0.02)
        #expect(abs(model.probability(skill: 0.5) - 0.27) < 1e-12)
        #expect(FailureModel(base: 0.9, slope: 1).probability(skill: 0) == 1)
    }
}
