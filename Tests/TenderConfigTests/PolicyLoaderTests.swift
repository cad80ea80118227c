import Foundation
import Testing
import TenderCore
@testable import TenderConfig

/// Policy files (`policies/*.yaml`): the shipped ones load with their tuning, mistakes are
/// reported at their line, and scenarios can name a policy file next to them.
@Suite struct PolicyLoaderTests {
    static let policies = ProfileLoaderTests.repository.appendingPathComponent("policies")

    static func errors(_ text: String) -> [String] {
        do {
            _ = try PolicyLoader.parse(ConfigNode.parse(text, file: "p.yaml"))
            return []
        } catch {
            return ConfigValidator.messages(error)
        }
    }

    @Test func theShippedPoliciesLoadWithTheirTuning() throws {
        let shedding = try #require(try PolicyLoader.load(path: Self.policies.appendingPathComponent("load-shedding.yaml").path) as? LoadSheddingPolicy)
        #expect(shedding.threshold == 0.75)
        let experts = try #require(try PolicyLoader.load(path: Self.policies.appendingPathComponent("specialists-only.yaml").path) as? HonestETAPolicy)
        #expect(experts.minimumSkill == 0.5)
        let results = ConfigValidator(kinds: [.profile, .scenario, .policy]).validate(paths: [Self.policies.path])
        #expect(results.count >= 3)
        #expect(results.allSatisfy { $0.ok && $0.kind == "policy" }, "\(results.flatMap(\.errors))")
    }

    @Test func aTunedPolicyBehavesAsTuned() throws {
        let cautious = try PolicyLoader.parse(ConfigNode.parse("heuristic: load-shedding\nthreshold: 0.5\n", file: "p.yaml"))
        var observation = Observation(category: .network, severity: .medium, age: 0, slackToSLA: 3600, skill: 0.9, expectedService: 100, load: 2, capacity: 4)
        #expect(cautious.decide(observation) == .refuse(.atCapacity), "half full is the threshold")
        observation.load = 1
        if case .bid = cautious.decide(observation) {} else { Issue.record("below the threshold it bids") }
    }

    @Test func mistakesAreReportedAtTheirLine() {
        #expect(Self.errors("heuristic: greedy\n") == ["p.yaml:1: heuristic is `greedy`, an unknown heuristic; expected one of: honest, load-shedding"])
        #expect(Self.errors("heuristic: load-shedding\nthreshold: 1.5\n").first?.hasPrefix("p.yaml:2: threshold is 1.5") == true)
        #expect(Self.errors("heuristic: honest\nthreshold: 0.5\n") == ["p.yaml:2: threshold applies to load-shedding only; honest bids never shed load"])
        #expect(Self.errors("heuristic: honest\nminimum_skil: 0.5\n").first?.hasPrefix("p.yaml:2:") == true)
        #expect(Self.errors("threshold: 0.5\n").first?.contains("heuristic") == true)
    }

    @Test func namesAndFilesResolve() throws {
        #expect(try PolicyLoader.resolve("load-shedding") is LoadSheddingPolicy)
        #expect(try PolicyLoader.resolve("load-shedding.yaml", relativeTo: Self.policies.path) is LoadSheddingPolicy)
        #expect(throws: ConfigError.self) { try PolicyLoader.resolve("no-such-policy") }
        let experts = try #require(try PolicyLoader.resolve("specialists-only", shippedIn: Self.policies.path) as? HonestETAPolicy)
        #expect(experts.minimumSkill == 0.5)
        #expect(throws: ConfigError.self) { try PolicyLoader.resolve("no-such-policy", shippedIn: Self.policies.path) }
        #expect(PolicyLoader.label("policies/specialists-only.yaml") == "specialists-only")
        #expect(PolicyLoader.label("honest") == "honest")
    }

    @Test func aScenarioMayNameAPolicyFileBesideIt() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("policy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "heuristic: load-shedding\nthreshold: 0.6\n".write(to: folder.appendingPathComponent("careful.yaml"), atomically: true, encoding: .utf8)
        let scenario = """
        name: tuned
        duration: 100
        policy: POLICY
        specialists: [{name: a, capacity: 1, skills: {security: 1}, service: {security: {distribution: deterministic, mean: 1}}}]
        arrivals: [{category: security, severity: low, rate: 1}]
        """
        let file = folder.appendingPathComponent("tuned.yaml")
        try scenario.replacingOccurrences(of: "POLICY", with: "careful.yaml").write(to: file, atomically: true, encoding: .utf8)
        let loaded = try ScenarioLoader.load(path: file.path)
        #expect(try PolicyLoader.resolve(loaded.policy) is LoadSheddingPolicy)

        try scenario.replacingOccurrences(of: "POLICY", with: "missing.yaml").write(to: file, atomically: true, encoding: .utf8)
        #expect(throws: ConfigErrors.self) { try ScenarioLoader.load(path: file.path) }
    }
}

@Suite struct BidMultiplierTests {
    @Test func aPolicyFileMayScaleEveryBid() throws {
        let policy = try PolicyLoader.load(path: "policies/optimist.yaml")
        let observation = Observation(category: .security, severity: .medium, age: 0, slackToSLA: 100, skill: 0.5, expectedService: 100, load: 0, capacity: 2)
        guard case .bid(let bid) = policy.decide(observation) else { Issue.record("expected a bid"); return }
        #expect(abs(bid.eta - 0.3 * 200) < 1e-9)
    }

    @Test func aScenarioNamesReputationAndGroupPolicies() throws {
        let scenario = try ScenarioLoader.load(path: "simulations/dishonest-bidders.yaml")
        #expect(scenario.reputation)
        #expect(scenario.specialists.filter { $0.policy != nil }.count == 3)
        #expect(scenario.specialists.first { $0.name == "security-optimist" }?.policy?.hasSuffix("policies/optimist.yaml") == true)
    }
}
