import Testing
import TenderConfig
import TenderCore
@testable import TenderExecutor

@Suite struct ParameterValidationTests {
    @Test(arguments: [
        ("203.0.113.9", ParameterType.ip), ("2001:db8::1", .ip), ("web-1.eu.example.com", .host), ("10.0.0.1", .host),
        ("checkout-api", .service), ("svc_2.v1", .service), ("alice", .user), ("svc-backup@corp", .user), ("eu-west-1", .region),
        ("select * from t where id = ?", .query), ("0", .count), ("200", .count), ("30", .seconds), ("2.5", .seconds), ("100", .percent),
    ])
    func validValuesPass(value: String, type: ParameterType) {
        #expect(ParameterValidation.problem(value, as: type) == nil)
    }

    @Test(arguments: [
        ("203.0.113.300", ParameterType.ip), ("1.2.3.4; rm -rf /", .ip), ("", .ip), ("-rf", .host), ("web_1", .host), ("a..b", .host),
        ("Checkout", .service), ("api;reboot", .service), ("$(id)", .user), ("-alice", .user), ("EU-West", .region),
        ("us east", .region), ("line\nbreak", .query), ("2.5", .count), ("-1", .count), ("1000001", .count), ("-5", .seconds),
        ("nan", .seconds), ("101", .percent), ("ten", .percent),
    ])
    func invalidValuesAreRefused(value: String, type: ParameterType) {
        #expect(ParameterValidation.problem(value, as: type) != nil)
    }

    @Test func shellMetacharactersAreRefusedByEveryEntityTypeButQuery() {
        for type in ParameterType.allCases where type.isEntity && type != .query {
            #expect(ParameterValidation.problem(shellMetacharacters, as: type) != nil, "\(type)")
        }
        // A query is passed as data; it may hold anything printable, but not a newline.
        #expect(ParameterValidation.problem(shellMetacharacters, as: .query) != nil)
        #expect(ParameterValidation.problem("a;b|c&d$(e)`f`", as: .query) == nil)
    }
}

@Suite struct PlanValidatorTests {
    let everything: (String) -> StepPolicy? = { _ in StepPolicy(idempotent: true, retries: 2, timeoutSeconds: 5) }

    @Test func aPlanFromTheProfileValidatesWithThePlaybooksRisk() throws {
        var sent = absorbFloodPlan()
        sent.steps[1].risk = "none" // a plan cannot lower its own risk
        let validated = try PlanValidator.validate(sent, incident: IncidentID(4), from: try Repository.profile("network"), policy: everything).get()
        #expect(validated.steps.map(\.action) == ["rate_limit", "blackhole_prefix"])
        #expect(validated.steps.map(\.risk) == [.low, .high])
        #expect(validated.steps[0].parameters.map(\.type) == [.ip, .count])
        #expect(validated.steps[0].retries == 2)
    }

    private func refusal(_ plan: RemediationPlan, policy: ((String) -> StepPolicy?)? = nil) throws -> String {
        let result = PlanValidator.validate(plan, incident: IncidentID(4), from: try Repository.profile("network"), policy: policy ?? everything)
        guard case .failure(let refusal) = result else { return "accepted" }
        return refusal.description
    }

    @Test func unknownPlaybookActionUndoAndParametersAreRefusedWithTheirNames() throws {
        var plan = absorbFloodPlan()
        plan.playbook = "drop-tables"
        #expect(try refusal(plan).contains("playbook `drop-tables` is not one of network's"))
        plan = absorbFloodPlan()
        plan.steps[1].action = "reboot_everything"
        #expect(try refusal(plan).contains("step 2 (reboot_everything): action `reboot_everything` is not the playbook's `blackhole_prefix`"))
        plan = absorbFloodPlan()
        plan.steps[0].undo = "noop"
        #expect(try refusal(plan).contains("undo `noop` is not the playbook's `remove_rate_limit`"))
        plan = absorbFloodPlan()
        plan.steps[0].parameters.append(.init(name: "extra", type: "host", value: "x"))
        #expect(try refusal(plan).contains("parameter `extra` is not declared"))
        plan = absorbFloodPlan()
        plan.steps[0].parameters[1].type = "percent"
        #expect(try refusal(plan).contains("parameter `requests_per_s` has type `percent`, expected count"))
        plan = absorbFloodPlan()
        plan.steps[1].parameters = []
        #expect(try refusal(plan).contains("parameter `ip` (ip) is missing"))
        plan = absorbFloodPlan()
        plan.steps.removeLast()
        #expect(try refusal(plan).contains("plan has 1 steps, playbook absorb-flood has 2"))
    }

    @Test func invalidValuesAndShellMetacharactersAreRefused() throws {
        #expect(try refusal(absorbFloodPlan(ip: shellMetacharacters)).contains("parameter `ip` (ip) contains a control character"))
        #expect(try refusal(absorbFloodPlan(ip: "1.2.3.4;id")).contains("is not an IPv4 or IPv6 address"))
        #expect(try refusal(absorbFloodPlan(rate: "$(reboot)")).contains("is not a whole number"))
    }

    @Test func anActionTheDriverCannotRunIsRefusedBeforeAnythingRuns() throws {
        let noBlackhole: (String) -> StepPolicy? = { $0 == "blackhole_prefix" ? nil : StepPolicy.conservative }
        #expect(try refusal(absorbFloodPlan(), policy: noBlackhole).contains("no way to run action `blackhole_prefix`"))
        let noUndo: (String) -> StepPolicy? = { $0 == "withdraw_blackhole" ? nil : StepPolicy.conservative }
        #expect(try refusal(absorbFloodPlan(), policy: noUndo).contains("no way to run undo `withdraw_blackhole`"))
    }
}

@Suite struct ArgvTemplateTests {
    @Test func placeholdersFillOneElementEachAndMetacharactersStayData() throws {
        let template = try ArgvTemplate("--target={ip}:{port}")
        let filled = try template.fill([TypedParameter(name: "ip", type: .query, value: shellMetacharacters), TypedParameter(name: "port", type: .count, value: "22")])
        #expect(filled == "--target=\(shellMetacharacters):22")
        #expect(try ArgvTemplate("{{literal}}").fill([]) == "{literal}")
    }

    @Test func malformedTemplatesAndUnknownPlaceholdersAreErrors() throws {
        #expect(throws: ArgvTemplate.Problem.self) { try ArgvTemplate("{ip") }
        #expect(throws: ArgvTemplate.Problem.self) { try ArgvTemplate("ip}") }
        #expect(throws: ArgvTemplate.Problem.self) { try ArgvTemplate("{a b}") }
        #expect(throws: ArgvTemplate.Problem.self) { try ArgvTemplate("{host}").fill([TypedParameter(name: "ip", type: .ip, value: "1.2.3.4")]) }
    }
}

@Suite struct ActionCatalogTests {
    @Test func theShippedExampleLoadsAndCoversEveryPlaybookAction() throws {
        let catalog = try ActionCatalog.load(path: Repository.root.appendingPathComponent("examples/actions.yaml").path)
        for name in ["security", "network", "performance", "database"] {
            for playbook in try Repository.profile(name).playbooks {
                for step in playbook.steps {
                    #expect(catalog.commands[step.action] != nil, "\(name): \(step.action)")
                    if step.undo != "noop" { #expect(catalog.commands[step.undo] != nil, "\(name): \(step.undo)") }
                }
            }
        }
    }

    @Test func everyProblemIsReportedWithFileAndLine() throws {
        let text = """
        block_ip:
          argv: [/usr/bin/true, "{ip"]
        unblock_ip:
          argv: [/usr/bin/true]
          retries: 3
        Bad-Name:
          argv: [x]
        rate_limit:
          argv: [/usr/bin/true]
          timeout: 5
        """
        do {
            _ = try ActionCatalog.parse(text, file: "actions.yaml")
            Issue.record("accepted a broken actions file")
        } catch let errors as TenderConfig.ConfigErrors {
            let lines = errors.errors.map(\.description)
            #expect(lines.contains { $0.hasPrefix("actions.yaml:2:") && $0.contains("without a closing") })
            #expect(lines.contains { $0.hasPrefix("actions.yaml:5:") && $0.contains("not idempotent") })
            #expect(lines.contains { $0.hasPrefix("actions.yaml:7:") && $0.contains("not a lowercase name") })
            #expect(lines.contains { $0.hasPrefix("actions.yaml:10:") && $0.contains("unknown field `timeout`") })
        }
    }
}
