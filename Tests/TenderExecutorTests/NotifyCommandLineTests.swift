import Testing
@testable import TenderExecutor

/// `--notify-command` and `--notify-arg` make an argv exactly as written: no shell, no splitting
/// of an argument that holds a space.
@Suite struct NotifyCommandLineTests {
    let nothingExists: (String) -> Bool = { _ in false }

    @Test func aProgramWithRepeatedArgumentsKeepsEachArgumentWhole() throws {
        let parsed = try NotifyCommandLine.parse("/usr/local/bin/page", arguments: ["--team", "on call sre", "; rm -rf /"], exists: nothingExists)
        #expect(parsed.argv == ["/usr/local/bin/page", "--team", "on call sre", "; rm -rf /"])
        #expect(!parsed.legacySplit)
    }

    @Test func aJSONArrayIsTheWholeArgv() throws {
        let parsed = try NotifyCommandLine.parse(#"["/usr/bin/curl", "-H", "Content-Type: application/json", "--data-binary", "@-"]"#, arguments: [], exists: nothingExists)
        #expect(parsed.argv == ["/usr/bin/curl", "-H", "Content-Type: application/json", "--data-binary", "@-"])
    }

    @Test func aPathWithASpaceThatExistsIsOneProgram() throws {
        let parsed = try NotifyCommandLine.parse("/opt/pager tools/page", arguments: [], exists: { $0 == "/opt/pager tools/page" })
        #expect(parsed.argv == ["/opt/pager tools/page"])
        #expect(!parsed.legacySplit)
    }

    @Test func theOldSpaceSeparatedFormStillWorksAndIsFlagged() throws {
        let parsed = try NotifyCommandLine.parse("/usr/bin/tee -a /tmp/pages.json", arguments: [], exists: nothingExists)
        #expect(parsed.argv == ["/usr/bin/tee", "-a", "/tmp/pages.json"])
        #expect(parsed.legacySplit)
    }

    @Test func badFormsAreRefusedWithAReason() {
        func problem(_ command: String, _ arguments: [String] = []) -> String {
            do {
                _ = try NotifyCommandLine.parse(command, arguments: arguments, exists: nothingExists)
                return "accepted"
            } catch {
                return error.description
            }
        }
        #expect(problem("  ") == "--notify-command is empty")
        #expect(problem("[]").contains("empty"))
        #expect(problem(#"[""]"#).contains("empty string"))
        #expect(problem(#"["/bin/page", 3]"#).contains("not a JSON array of strings"))
        #expect(problem(#"["/bin/page"]"#, ["x"]).contains("no --notify-arg"))
    }
}
