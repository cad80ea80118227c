import Testing
import TenderCore
@testable import TenderExecutor

@Suite struct SimulatedDriverTests {
    /// Runs `executions` two-step plans (apply then undo) on a manual schedule; returns each
    /// step's delay and exit.
    private func outcomes(seed: UInt64, faultRate: Double, executions: Int = 200) throws -> [(delay: Double, phase: StepPhase, exit: String)] {
        var pending: [(Double, () -> Void)] = []
        let driver = SimulatedDriver(seed: seed, faultRate: faultRate) { delay, body in pending.append((delay, body)) }
        var results: [(Double, StepPhase, String)] = []
        for execution in 1...executions {
            for (step, phase) in [(0, StepPhase.apply), (1, .apply), (1, .undo)] {
                let invocation = StepInvocation(incident: IncidentID(UInt64(execution)), execution: Int64(execution), step: step, phase: phase,
                                                attempt: 1, action: "drain_node", parameters: [], timeoutSeconds: 10_000)
                var exit: StepExit?
                driver.run(invocation) { exit = $0 }
                #expect(exit == nil, "a simulated step completes asynchronously, as a program would")
                let next = pending.popLast()
                let (delay, fire) = try #require(next)
                fire()
                results.append((delay, phase, try #require(exit).resultName))
            }
        }
        return results
    }

    /// The specialist's attempt already took the modelled time and drew the modelled failure:
    /// the driver adds neither (the simulator's execution outcome follows the report at once).
    @Test func addsNoTimeAndNoFailureOfItsOwn() throws {
        let runs = try outcomes(seed: 1, faultRate: 0)
        #expect(runs.allSatisfy { $0.delay == 0 })
        #expect(runs.allSatisfy { $0.exit == "succeeded" })
    }

    @Test func injectedFaultsFailAppliedStepsOnlyAtTheirRate() throws {
        #expect(try outcomes(seed: 1, faultRate: 1).allSatisfy { $0.exit == ($0.phase == .apply ? "failed" : "succeeded") })
        let applied = try outcomes(seed: 2, faultRate: 0.2, executions: 2000).filter { $0.phase == .apply }
        let failures = applied.filter { $0.exit == "failed" }.count
        // 4,000 applied steps at 0.2: 800 expected, σ ≈ 25.
        #expect((700...900).contains(failures), "\(failures) of \(applied.count) applied steps failed")
    }

    @Test func sameSeedSameFaultsDifferentSeedDifferentFaults() throws {
        let first = try outcomes(seed: 9, faultRate: 0.3).map(\.exit)
        #expect(first == (try outcomes(seed: 9, faultRate: 0.3).map(\.exit)))
        #expect(first != (try outcomes(seed: 10, faultRate: 0.3).map(\.exit)))
    }

    @Test func stopEndsAPendingStepAsSIGTERMWould() {
        var pending: [() -> Void] = []
        let driver = SimulatedDriver(seed: 1) { _, body in pending.append(body) }
        let invocation = StepInvocation(incident: IncidentID(1), execution: 1, step: 0, phase: .apply, attempt: 1,
                                        action: "drain_node", parameters: [], timeoutSeconds: 10)
        var exits: [StepExit] = []
        driver.run(invocation) { exits.append($0) }
        driver.stop(invocation)
        pending.forEach { $0() }
        #expect(exits.count == 1, "stopped once, and the timer that fires later finds nothing")
        #expect(exits.first?.resultName == "failed")
    }
}
