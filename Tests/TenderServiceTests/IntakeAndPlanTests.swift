import Testing
import TenderConfig
import TenderCore
@testable import TenderService
import TenderWire

@Suite struct PlanBuilderTests {
    let profile = try! ProfileLoader.load(path: LiveProcess.packageRoot + "/specialists/security.yaml")

    func cfp(severity: String, entities: [(String, String)]) -> WireCallForProposals {
        var cfp = WireCallForProposals()
        cfp.category = "security"
        cfp.severity = severity
        cfp.service = "api"
        cfp.entities = entities.map { type, value in .with { $0.type = type; $0.value = value } }
        return cfp
    }

    @Test func fillsTypedParametersFromEntitiesAndDefaults() throws {
        let plan = try PlanBuilder.plan(from: profile, for: cfp(severity: "critical", entities: [("ip", "203.0.113.7"), ("user", "alice")])).get()
        #expect(plan.playbook == "contain-brute-force")
        let block = try #require(plan.steps.first)
        #expect(block.action == "block_ip")
        #expect(block.parameters.map(\.value) == ["203.0.113.7", "3600"])
        #expect(block.undo == "unblock_ip")
        // The service parameter falls back to the incident's service.
        #expect(plan.steps[1].parameters.first { $0.name == "service" }?.value == "api")
    }

    @Test func missingEntityIsAFailureNamingTheParameter() {
        guard case .failure(let why) = PlanBuilder.plan(from: profile, for: cfp(severity: "critical", entities: [("user", "alice")])) else {
            Issue.record("expected a failure without an ip entity")
            return
        }
        #expect(why.description.contains("contain-brute-force needs entity `ip` (block_ip.ip)"))
        #expect(why.missingEntity)
    }
}
