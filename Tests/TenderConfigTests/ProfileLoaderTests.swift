import Foundation
import Testing
import TenderCore
@testable import TenderConfig

/// The shipped profiles load, and every kind of mistake is reported at its line with what was expected.
@Suite struct ProfileLoaderTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test(arguments: ["security", "performance", "network", "database"])
    func shippedProfilesAreValid(name: String) throws {
        let profile = try ProfileLoader.load(path: Self.repository.appendingPathComponent("specialists/\(name).yaml").path)
        #expect(profile.kind.rawValue == name)
        #expect(profile.skills[profile.kind.homeCategory] >= 0.9, "strong in its own trade")
        #expect(profile.playbook(for: profile.kind.homeCategory, .critical) != nil)
        #expect(profile.playbooks.allSatisfy { $0.steps.allSatisfy { !$0.undo.isEmpty } })
    }

    @Test func securityAlsoHandlesDDoSAtReducedSkill() throws {
        let security = try ProfileLoader.load(path: Self.repository.appendingPathComponent("specialists/security.yaml").path)
        #expect(security.skills[.network] > 0.3)
        #expect(security.skills[.network] < security.skills[.security])
        #expect(security.playbook(for: .network, .high)?.steps.map(\.action).contains("rate_limit") == true)
    }

    let valid = """
    name: tiny
    kind: security
    capacity: 2
    skills: {security: 0.9, network: 0.5}
    service:
      security: {distribution: exponential, mean: 60}
    playbooks:
      - name: block
        categories: [security]
        steps:
          - action: block_ip
            params: {ip: ip, ttl_s: {type: seconds, default: 600}}
            risk: low
            undo: unblock_ip
    """

    func errors(_ text: String) -> [String] {
        do {
            _ = try ProfileLoader.parse(ConfigNode.parse(text, file: "p.yaml"))
            return []
        } catch let many as ConfigErrors {
            return many.errors.map(\.description)
        } catch {
            return ["\(error)"]
        }
    }

    @Test func aValidProfileParses() throws {
        let profile = try ProfileLoader.parse(ConfigNode.parse(valid, file: "p.yaml"))
        #expect(profile.capacity == 2)
        #expect(profile.service.mean(for: .network, .medium) == 60, "unlisted categories borrow the slowest model")
        #expect(profile.playbooks[0].steps[0].parameters == [
            StepParameter(name: "ip", type: .ip),
            StepParameter(name: "ttl_s", type: .seconds, defaultValue: "600"),
        ])
    }

    @Test func unknownCategory() {
        let found = errors(valid.replacingOccurrences(of: "network: 0.5", with: "netwrok: 0.5"))
        #expect(found == ["p.yaml:4: `netwrok` in skills is an unknown category; expected one of: security, performance, network, database"])
    }

    @Test func skillOutOfRange() {
        let found = errors(valid.replacingOccurrences(of: "security: 0.9", with: "security: 1.4"))
        #expect(found == ["p.yaml:4: skills.security is 1.4, expected a number from 0 to 1"])
    }

    @Test func stepWithoutUndo() {
        let found = errors(valid.replacingOccurrences(of: "\n        undo: unblock_ip", with: ""))
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("p.yaml:11: playbooks[0].steps[0] is missing `undo`, expected the action that reverses this step") == true)
    }

    @Test func missingField() {
        let found = errors(valid.replacingOccurrences(of: "capacity: 2\n", with: ""))
        #expect(found == ["p.yaml:1: the document is missing `capacity`, expected concurrent tasks, a whole number"])
    }

    @Test func yamlSyntaxError() {
        let found = errors(valid.replacingOccurrences(of: "skills: {security: 0.9, network: 0.5}", with: "skills: {security: 0.9, network: 0.5"))
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("p.yaml:5: YAML syntax error") == true, "\(found)")
    }

    @Test func everyProblemIsReportedInOnePass() {
        let broken = valid
            .replacingOccurrences(of: "kind: security", with: "kind: janitor")
            .replacingOccurrences(of: "capacity: 2", with: "capacity: many")
            .replacingOccurrences(of: "risk: low", with: "risk: spicy")
        let found = errors(broken)
        #expect(found.count == 3)
        #expect(found.contains("p.yaml:2: kind is `janitor`, an unknown specialist kind; expected one of: security, performance, network, database"))
        #expect(found.contains("p.yaml:3: capacity is `many`, expected a whole number"))
        #expect(found.contains { $0.hasPrefix("p.yaml:13: playbooks[0].steps[0].risk is `spicy`") })
    }

    @Test func typosInFieldNamesAreNotSilentlyIgnored() {
        let found = errors(valid.replacingOccurrences(of: "capacity: 2", with: "capacity: 2\ncapactiy: 3"))
        #expect(found.first?.hasPrefix("p.yaml:4: unknown field `capactiy`") == true, "\(found)")
    }

    @Test func actionNamesCannotSmuggleShellSyntax() {
        let found = errors(valid.replacingOccurrences(of: "action: block_ip", with: "action: \"block_ip; rm -rf /\""))
        #expect(found.first?.contains("expected a lowercase name like block_ip") == true)
    }

    @Test func numericParametersNeedANumericDefault() {
        let found = errors(valid.replacingOccurrences(of: "default: 600", with: "default: soon"))
        #expect(found.first?.contains("expected a number for a seconds parameter") == true, "\(found)")
    }
}

@Suite struct ConfigValidatorTests {
    @Test func walksDirectoriesAndNamesEveryBadFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tender-validate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let shipped = ProfileLoaderTests.repository.appendingPathComponent("specialists/network.yaml")
        try FileManager.default.copyItem(at: shipped, to: directory.appendingPathComponent("good.yaml"))
        try "just: text\n".write(to: directory.appendingPathComponent("odd.yaml"), atomically: true, encoding: .utf8)
        try "kind: [\n".write(to: directory.appendingPathComponent("broken.yml"), atomically: true, encoding: .utf8)

        let results = ConfigValidator(kinds: [.profile]).validate(paths: [directory.path, "/no/such/file.yaml"])
        #expect(results.map { ($0.file as NSString).lastPathComponent } == ["broken.yml", "good.yaml", "odd.yaml", "file.yaml"])
        #expect(results.map(\.ok) == [false, true, false, false])
        #expect(results[0].errors.first?.contains("broken.yml:2: YAML syntax error") == true, "\(results[0].errors)")
        #expect(results[2].errors.first?.contains("odd.yaml:1: is not a known kind of file") == true)
        #expect(results[3].errors == ["/no/such/file.yaml: no such file or directory"])
    }
}
