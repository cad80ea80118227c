import Foundation
import Testing
import TenderCore
import TenderUV
@testable import TenderExecutor

/// Real child processes: spawning, argv, environment, timeouts and signals are the point here.
@Suite(.serialized) struct CommandDriverTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tender-cmd-\(UUID().uuidString)")

    init() throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    var ledger: String { directory.appendingPathComponent("ledger.jsonl").path }
    var canary: String { directory.appendingPathComponent("canary").path }

    private func catalog(_ yaml: String) throws -> ActionCatalog {
        try ActionCatalog.parse(yaml.replacingOccurrences(of: "LEDGER", with: ledger).replacingOccurrences(of: "PROGRAM", with: Repository.ledgerProgram), file: "test.yaml")
    }

    /// Run one invocation on a fresh loop until it ends.
    private func run(_ catalog: ActionCatalog, _ invocation: StepInvocation, grace: Double = 5) throws -> StepExit {
        let loop = try EventLoop()
        let driver = CommandDriver(loop: loop, catalog: catalog, killGraceSeconds: grace, outputCap: 200)
        var result: StepExit?
        driver.run(invocation) { result = $0 }
        loop.run()
        loop.close()
        return try #require(result)
    }

    private func invocation(_ action: String, _ parameters: [TypedParameter], timeout: Double = 20) -> StepInvocation {
        StepInvocation(incident: IncidentID(42), execution: 7, step: 1, phase: .undo, attempt: 1, action: action, parameters: parameters, timeoutSeconds: timeout)
    }

    @Test func metacharactersInEveryParameterReachTheProgramAsPlainArgvElements() throws {
        let injection = "x; touch \(canary); $(touch \(canary)) `touch \(canary)` | touch \(canary) && touch \(canary)"
        let parameters = ParameterType.allCases.map { TypedParameter(name: $0.rawValue, type: $0, value: injection + " " + $0.rawValue) }
        let argv = parameters.map { "\"\($0.name)={\($0.name)}\"" }.joined(separator: ", ")
        let catalog = try catalog("probe:\n  argv: [PROGRAM, LEDGER, --, \(argv)]\n")
        let exit = try run(catalog, invocation("probe", parameters))
        #expect(exit.resultName == "succeeded")
        #expect(!FileManager.default.fileExists(atPath: canary), "a shell ran something")
        let line = try String(contentsOfFile: ledger, encoding: .utf8).split(separator: "\n").first.map(String.init) ?? ""
        let record = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        #expect(record?["args"] as? [String] == parameters.map { "\($0.name)=\($0.value)" })
        #expect(record?["incident"] as? String == "INC-42")
        #expect(record?["execution"] as? String == "7")
        #expect(record?["step"] as? Int == 2)
        #expect(record?["phase"] as? String == "undo")
        #expect(record?["action"] as? String == "probe")
    }

    @Test func nonZeroExitIsAFailureWithItsOutputCapped() throws {
        let catalog = try catalog("probe:\n  argv: [PROGRAM, LEDGER, --fail, probe, --]\n")
        let exit = try run(catalog, invocation("probe", []))
        #expect(exit.exitStatus == 3, "\(exit.output)")
        #expect(exit.output.contains("refusing as told"))
        let chatty = try self.catalog("probe:\n  argv: [/bin/dd, if=/dev/zero, bs=1000, count=5]\n")
        let capped = try run(chatty, invocation("probe", []))
        #expect(capped.output.contains("more bytes not kept"))
    }

    @Test func aTimeoutSendsSigtermAndCountsAsTimedOut() throws {
        let catalog = try catalog("probe:\n  argv: [/bin/sleep, \"30\"]\n")
        let exit = try run(catalog, invocation("probe", [], timeout: 0.2))
        #expect(exit.resultName == "timed_out")
    }

    @Test func aProgramIgnoringSigtermIsKilledAfterTheGrace() throws {
        // The test's own fixed program; no incident data goes near this shell.
        let catalog = try catalog("probe:\n  argv: [/bin/sh, -c, \"trap '' TERM; while :; do sleep 0.05; done\"]\n")
        let exit = try run(catalog, invocation("probe", [], timeout: 0.2), grace: 0.2)
        #expect(exit.resultName == "timed_out")
    }

    /// Start `invocation`, stop it (a cancel) at once or once `readyFile` exists, and run the
    /// loop until it ends.
    private func runAndStop(_ catalog: ActionCatalog, _ invocation: StepInvocation, grace: Double, readyFile: String? = nil) throws -> StepExit {
        let loop = try EventLoop()
        let driver = CommandDriver(loop: loop, catalog: catalog, killGraceSeconds: grace, outputCap: 200)
        var result: StepExit?
        driver.run(invocation) { result = $0 }
        #expect(driver.runsInProgress == 1)
        let watch = try LoopTimer(loop: loop)
        watch.start(afterMilliseconds: 0, repeatMilliseconds: 10) {
            guard readyFile.map({ FileManager.default.fileExists(atPath: $0) }) ?? true else { return }
            watch.close()
            driver.stop(invocation)
        }
        loop.run()
        loop.close()
        #expect(driver.runsInProgress == 0)
        return try #require(result)
    }

    @Test func aStoppedStepGetsSigtermAndEndsAsAFailureThatSaysSo() throws {
        let catalog = try catalog("probe:\n  argv: [/bin/sleep, \"30\"]\n")
        let exit = try runAndStop(catalog, invocation("probe", [], timeout: 60), grace: 30)
        #expect(exit.exitStatus == 128 + 15, "killed by SIGTERM: \(exit)")
        #expect(exit.output.contains("stopped: the execution was cancelled"))
    }

    @Test func aStoppedProgramIgnoringSigtermIsKilledAfterTheGrace() throws {
        // The test's own fixed program; no incident data goes near this shell.
        let catalog = try catalog("probe:\n  argv: [/bin/sh, -c, \"trap '' TERM; touch \(canary); while :; do sleep 0.05; done\"]\n")
        let exit = try runAndStop(catalog, invocation("probe", [], timeout: 60), grace: 0.2, readyFile: canary)
        #expect(exit.exitStatus == 128 + 9, "killed by SIGKILL: \(exit)")
    }

    @Test func aMissingProgramOrPlaceholderFailsWithoutRunning() throws {
        let missing = try catalog("probe:\n  argv: [/nonexistent/tender-probe]\n")
        #expect(try run(missing, invocation("probe", [])).exitStatus == 127)
        let unfilled = try catalog("probe:\n  argv: [PROGRAM, LEDGER, --, \"{host}\"]\n")
        let exit = try run(unfilled, invocation("probe", []))
        #expect(exit.exitStatus == 127)
        #expect(exit.output.contains("placeholder `{host}` names no parameter"))
        #expect(!FileManager.default.fileExists(atPath: ledger))
    }

    @Test func dryRunRunsNothingAndSaysWhatWouldHaveRun() throws {
        let loop = try EventLoop()
        let catalog = try catalog("probe:\n  argv: [PROGRAM, LEDGER, --, \"ip={ip}\"]\n")
        let driver = DryRunDriver(describing: CommandDriver(loop: loop, catalog: catalog))
        var result: StepExit?
        driver.run(invocation("probe", [TypedParameter(name: "ip", type: .ip, value: "a b")])) { result = $0 }
        loop.run()
        loop.close()
        #expect(result?.output.contains("'ip=a b'") == true)
        #expect(!FileManager.default.fileExists(atPath: ledger))
    }
}
