import Testing
import TenderConfig
import TenderCore
@testable import TenderService
import TenderWire

@Suite struct IncidentSubmissionTests {
    @Test func parsesEntitiesAsAListOrAnObject() throws {
        let list = try IncidentSubmission.parse(jsonLine: #"{"category":"security","severity":"critical","entities":[{"type":"ip","value":"203.0.113.7"}],"ref":"t-1"}"#).get()
        #expect(list.category == .security)
        #expect(list.severity == .critical)
        #expect(list.entities == [.ip("203.0.113.7")])
        #expect(list.reference == "t-1")
        let object = try IncidentSubmission.parse(jsonLine: #"{"category":"database","entities":{"query":"q1","user":["a","b"]}}"#).get()
        #expect(object.severity == .medium)
        #expect(object.entities == [.query("q1"), .user("a"), .user("b")])
    }

    @Test func errorsNameTheField() {
        func error(_ line: String) -> String? {
            if case .failure(let error) = IncidentSubmission.parse(jsonLine: line) { return error.description }
            return nil
        }
        #expect(error("[1,2]") == "not a JSON object")
        #expect(error(#"{"severity":"high"}"#)?.hasPrefix("category: is required") == true)
        #expect(error(#"{"category":"security","severity":"urgent"}"#)?.hasPrefix("severity: `urgent`") == true)
        #expect(error(#"{"category":"security","entities":[{"type":"mac","value":"x"}]}"#)?.hasPrefix("entities:") == true)
    }

    @Test func jsonLineRoundTrips() throws {
        let submission = IncidentSubmission(category: .network, severity: .high, service: "api", region: "eu", entities: [.host("h"), .ip("1.2.3.4")], reference: "r")
        #expect(try IncidentSubmission.parse(jsonLine: submission.jsonLine).get() == submission)
    }
}

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
        #expect(why.description.contains("no ip for parameter `ip`"))
    }
}
