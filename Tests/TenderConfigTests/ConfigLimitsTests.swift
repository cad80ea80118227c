import Foundation
import Testing
@testable import TenderConfig

/// Bad files get one short, located message: a duplicated key names the line of the repetition
/// and of the first one, and never echoes the document (Yams's message embeds all of it: a
/// 10 MB file gave 10 MB of stderr); files above the size cap are refused before parsing.
@Suite struct ConfigLimitsTests {
    func messages(_ text: String, file: String = "d.yaml") -> [String] {
        do {
            _ = try ConfigNode.parse(text, file: file)
            return []
        } catch {
            return ConfigValidator.messages(error)
        }
    }

    @Test func aDuplicateKeyNamesBothLines() {
        let text = """
        name: tiny
        kind: security
        capacity: 2
        kind: network
        """
        #expect(messages(text) == ["d.yaml:4: duplicate key 'kind' (first at line 2)"])
    }

    @Test func aDuplicateKeyInANestedMappingIsFoundAtItsIndentation() {
        let text = """
        name: tiny
        service:
          security: {distribution: exponential, mean: 60}
          network: {distribution: exponential, mean: 60}
        skills:
          security: 0.9
        playbooks:
          - name: block
            steps: []
            name: again
        """
        #expect(messages(text) == ["d.yaml:10: duplicate key 'name' (first at line 8)"])
    }

    @Test func aDuplicateKeyInAFlowMappingIsOnItsLine() {
        #expect(messages("skills: {security: 0.9, security: 0.8}\n") == ["d.yaml:1: duplicate key 'security' (first at line 1)"])
    }

    @Test func aLargeDocumentWithADuplicateIsNotEchoed() {
        var lines = (0..<20_000).map { "key\($0): value number \($0)" }
        lines.append("key7: again")
        let text = lines.joined(separator: "\n")
        let reported = messages(text)
        #expect(reported == ["d.yaml:20001: duplicate key 'key7' (first at line 8)"])
        #expect(reported.joined().utf8.count < 200)
    }

    @Test func syntaxErrorsQuoteAtMostAShortSnippet() {
        let text = "a: 1\nb: \"" + String(repeating: "x", count: 200_000)
        let reported = messages(text)
        #expect(reported.count == 1)
        #expect(reported.joined().utf8.count < 400, "\(reported.joined().prefix(300))")
        #expect(reported.first?.hasPrefix("d.yaml:") == true)
    }

    @Test func filesAboveTheCapAreRefusedBeforeParsing() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("big-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: file) }
        let line = Data("key: value that repeats\n".utf8)
        var data = Data(capacity: ConfigNode.maximumFileBytes + line.count)
        while data.count <= ConfigNode.maximumFileBytes { data.append(line) }
        try data.write(to: file)
        let reported = ConfigValidator(kinds: [.profile]).validate(file: file.path).errors
        #expect(reported.count == 1)
        #expect(reported.first?.contains("expected a configuration file of at most 4194304 bytes (4 MiB)") == true, "\(reported)")
    }

    @Test func aDirectoryWithoutYAMLIsAnError() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("not yaml".utf8).write(to: directory.appendingPathComponent("notes.txt"))
        let results = ConfigValidator(kinds: [.profile]).validate(paths: [directory.path])
        #expect(results.count == 1)
        #expect(results.first?.ok == false)
        #expect(results.first?.errors.first?.contains("no .yaml or .yml files found") == true)
    }

    @Test func snippetsAreCutAndOnOneLine() {
        #expect(ConfigError.snippet("a\nb") == "a b")
        #expect(ConfigError.snippet(String(repeating: "x", count: 1000)).count == ConfigError.maximumSnippet + 1)
    }
}
