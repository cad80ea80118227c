import Foundation
import Testing

@Suite struct ValidateCommandTests {
    @Test func theShippedProfilesPass() throws {
        let result = try TenderProcess.run(["validate", "specialists"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("all 4 files are valid"))
    }

    @Test func aBadProfileFailsWithFileAndLineAndNoCrash() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: file) }
        try """
        name: broken
        kind: security
        capacity: 2
        skills: {security: 2}
        service: {security: {distribution: exponential, mean: 60}}
        playbooks: []
        """.write(to: file, atomically: true, encoding: .utf8)
        let result = try TenderProcess.run(["validate", file.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(file.path):4: skills.security is 2, expected a number from 0 to 1"), "\(result.stderr)")
        #expect(!result.stderr.contains("Fatal error"))
        #expect(result.stdout.contains("the file has problems"))
    }

    @Test func jsonFormIsOneObject() throws {
        let result = try TenderProcess.run(["validate", "--json", "specialists"])
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(object?["files"] as? Int == 4)
        #expect(object?["failed"] as? Int == 0)
    }
}

@Suite struct DemoCommandTests {
    @Test func theDemoIsReproducibleBySeedAndExplainsEveryAward() throws {
        let first = try TenderProcess.run(["demo", "--seed", "11", "--incidents", "6"])
        let second = try TenderProcess.run(["demo", "--seed", "11", "--incidents", "6"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout == second.stdout)
        #expect(first.stdout.components(separatedBy: " wins (").count - 1 >= 6, "every incident has at least one award line")
        #expect(first.stdout.contains("Jain's index"))
    }

    @Test func aBadOptionIsExplained() throws {
        let result = try TenderProcess.run(["demo", "--policy", "greedy"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("unknown --policy `greedy`, expected one of: honest, load-shedding"))
    }
}

@Suite struct ValidateEdgeCaseTests {
    @Test func anEmptyDirectoryFails() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try TenderProcess.run(["validate", directory.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(directory.path): no .yaml or .yml files found"), "\(result.stderr)")
        #expect(!result.stdout.contains("are valid") && result.stdout.contains("nothing to validate"), "\(result.stdout)")
    }

    @Test func aDuplicateKeyInABigFileGivesOneShortLine() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("dup-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: file) }
        var text = "name: big\nkind: security\n"
        text += (0..<50_000).map { "k\($0): some value \($0)" }.joined(separator: "\n")
        text += "\nkind: network\n"
        try text.write(to: file, atomically: true, encoding: .utf8)
        let result = try TenderProcess.run(["validate", file.path])
        #expect(result.status == 1)
        #expect(result.stderr == "\(file.path):50003: duplicate key 'kind' (first at line 2)\n", "\(result.stderr.prefix(500))")
    }
}
