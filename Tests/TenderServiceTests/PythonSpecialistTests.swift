import Foundation
import Testing

/// The Python example, written from docs/PROTOCOL.md alone, against a real coordinator.
@Suite struct PythonSpecialistTests {
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")))
    func pythonSpecialistWinsAndResolvesIncidents() throws {
        let key = writeTemporary("python-test-key-0123456789abcdef\n", suffix: ".key")
        // Its plans are checked against a profile the coordinator holds for it, by name.
        let profiles = NSTemporaryDirectory() + "tender-py-profiles-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: profiles, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: profiles) }
        let security = try String(contentsOfFile: "specialists/security.yaml", encoding: .utf8)
        let head = security.components(separatedBy: "playbooks:")[0].replacingOccurrences(of: "name: security", with: "name: py-security")
        try (head + """
            playbooks:
              - name: python-isolate
                categories: [security]
                steps:
                  - action: isolate
                    params: {target: ip}
                    risk: low
                    undo: release

            """).write(toFile: "\(profiles)/py-security.yaml", atomically: true, encoding: .utf8)
        let coordinator = try LiveCoordinator(["--key-file", key, "--specialists", profiles])
        let python = try LiveProcess("python", executable: "/usr/bin/python3", [
            "examples/python_specialist.py", "--coordinator", coordinator.specialists,
            "--key-file", key, "--name", "py-security", "--kind", "security",
        ])
        #expect(python.waitForEvent("connected") != nil, "python: \(python.stderr)")
        let file = writeTemporary(incidentLines(5, categories: ["security"]))
        let submit = try LiveProcess("submit", ["submit", "--intake", coordinator.intake, "--file", file, "--wait", "--timeout", "60"])
        #expect(submit.waitForExit(timeout: 70) == 0, "submit: \(submit.stderr)")
        let conclusions = submit.allLines.compactMap(LiveProcess.json).filter { $0["event"] as? String == "concluded" }
        #expect(conclusions.count == 5)
        #expect(conclusions.allSatisfy {
            $0["conclusion"] as? String == "resolved" && $0["specialist"] as? String == "py-security" && $0["playbook"] as? String == "python-isolate"
        })
        python.stop()
    }

    /// An incident with nothing to isolate (no ip, host or service) is refused as not actionable
    /// with the reason, and escalates at once: never awarded, never re-auctioned.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")))
    func pythonSpecialistRefusesAnIncidentItCannotActOn() throws {
        let key = writeTemporary("python-test-key-0123456789abcdef\n", suffix: ".key")
        let coordinator = try LiveCoordinator(["--key-file", key])
        let python = try LiveProcess("python", executable: "/usr/bin/python3", [
            "examples/python_specialist.py", "--coordinator", coordinator.specialists,
            "--key-file", key, "--name", "py-security", "--kind", "security",
        ])
        defer { python.stop() }
        #expect(python.waitForEvent("connected") != nil, "python: \(python.stderr)")
        let file = writeTemporary(#"{"category":"security","severity":"high"}"# + "\n")
        let submit = try LiveProcess("submit", ["submit", "--intake", coordinator.intake, "--file", file, "--wait", "--timeout", "60"])
        #expect(submit.waitForExit(timeout: 70) == 0, "submit: \(submit.stderr)")
        let conclusions = submit.allLines.compactMap(LiveProcess.json).filter { $0["event"] as? String == "concluded" }
        #expect(conclusions.map { $0["conclusion"] as? String } == ["escalated"])
        let log = coordinator.process.stderr
        #expect(log.contains("not_actionable: python-isolate needs entity `ip`, `host` or `service`"), "coordinator: \(log.suffix(2000))")
        #expect(!log.contains("re-auctioning"))
        #expect(!python.allLines.contains { $0.contains("\"resolved\"") })
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")))
    func pythonSpecialistWithTheWrongKeyIsRefused() throws {
        let key = writeTemporary("python-test-key-0123456789abcdef\n", suffix: ".key")
        let coordinator = try LiveCoordinator(["--key-file", key])
        let python = try LiveProcess("python", executable: "/usr/bin/python3", [
            "examples/python_specialist.py", "--coordinator", coordinator.specialists, "--name", "py-wrong-key",
        ])
        #expect(python.waitForEvent("refused")?["reason"] as? String == "authentication failed")
        #expect(python.waitForExit() == 2)
    }
}
