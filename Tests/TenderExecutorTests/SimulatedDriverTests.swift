import Testing
import TenderCore
@testable import TenderExecutor

@Suite struct SimulatedDriverTests {
    /// Runs every step of `executions` executions on a manual schedule; returns each exit and delay.
    private func outcomes(seed: UInt64, failureBase: Double, executions: Int = 200) throws -> [(delay: Double, exit: String)] {
        var profile = try Repository.profile("network")
        profile.failure = FailureModel(base: failureBase, slope: 0)
        var pending: [(Double, () -> Void)] = []
        let driver = SimulatedDriver(profiles: [profile], seed: seed) { delay, body in pending.append((delay, body)) }
        var results: [(Double, String)] = []
        for execution in 1...executions {
            driver.register(execution: Int64(execution), category: .network, severity: .high, specialist: "network", steps: 2)
            for step in 0..<2 {
                let invocation = StepInvocation(incident: IncidentID(UInt64(execution)), execution: Int64(execution), step: step, phase: .apply,
                                                attempt: 1, action: "drain_node", parameters: [], timeoutSeconds: 10_000)
                var exit: StepExit?
                driver.run(invocation) { exit = $0 }
                #expect(exit == nil, "a simulated step takes time")
                let (delay, fire) = pending.removeLast()
                fire()
                results.append((delay, try #require(exit).resultName))
            }
        }
        return results
    }

    @Test func sameSeedSameRunDifferentSeedDifferentRun() throws {
        let first = try outcomes(seed: 9, failureBase: 0.3)
        let again = try outcomes(seed: 9, failureBase: 0.3)
        let other = try outcomes(seed: 10, failureBase: 0.3)
        #expect(first.map(\.delay) == again.map(\.delay))
        #expect(first.map(\.exit) == again.map(\.exit))
        #expect(first.map(\.delay) != other.map(\.delay))
    }

    @Test func failureOddsComeFromTheProfile() throws {
        #expect(try outcomes(seed: 1, failureBase: 0).allSatisfy { $0.exit == "succeeded" })
        #expect(try outcomes(seed: 1, failureBase: 1).allSatisfy { $0.exit == "failed" })
        // A plan fails with probability 0.3, so each of its 2 steps with 1 - sqrt(0.7) ≈ 0.163.
        let failures = try outcomes(seed: 1, failureBase: 0.3, executions: 2000).filter { $0.exit == "failed" }.count
        #expect((500...800).contains(failures), "\(failures) of 4000 steps failed")
    }

    @Test func durationsFollowTheServiceModel() throws {
        let delays = try outcomes(seed: 3, failureBase: 0).map(\.delay)
        let profile = try Repository.profile("network")
        let mean = profile.service.mean(for: .network, .high) / 2
        let measured = delays.reduce(0, +) / Double(delays.count)
        #expect(abs(measured - mean) / mean < 0.25, "mean step \(measured) s, model \(mean) s")
    }
}
