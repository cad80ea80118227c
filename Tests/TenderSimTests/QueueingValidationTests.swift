import Testing
import TenderConfig
import TenderCore
@testable import TenderSim

/// The simulator against queueing theory. Identical specialists of capacity 1 and skill 1,
/// Poisson arrivals, a FIFO backlog and instant messages make the engine-driven pool an M/M/c
/// queue (M/D/1 with deterministic service): the mean wait from arrival to award must match
/// Erlang C (Pollaczek–Khinchine) within 3%.
///
/// Run lengths: the standard error of a mean wait grows like (1 − ρ)⁻², so the heavier the load,
/// the more incidents. Relative standard errors, estimated over 20 independent seeds of the same
/// M/M/2 model (docs/SIMULATOR.md): ρ = 0.5 with 400k incidents ≈ 1.2%, ρ = 0.8 with 800k
/// ≈ 1.4%, ρ = 0.95 with 12M ≈ 1.0%, so 3% sits at 2–3 standard errors; the seeds are fixed, and
/// other seeds pass too (checked with 5 seeds each in a release build), not one lucky one.
struct QueueingValidationTests {
    static func relativeError(servers: Int, rho: Double, incidents: Int, allocator: String = "least-loaded",
                              service: ServiceDistribution = .exponential(mean: 1), seed: UInt64) throws -> (simulated: Double, theory: Double, error: Double) {
        let scenario = QueueingScenario.make(servers: servers, utilisation: rho, incidents: incidents, warmup: 200,
                                             service: service, allocator: allocator, seed: seed)
        let result = try Simulation(scenario: scenario).run()
        let lambda = rho * Double(servers) / service.mean
        let theory: Double
        if case .deterministic(let d) = service, servers == 1 {
            theory = QueueingTheory.md1MeanWait(arrivalRate: lambda, service: d)
        } else {
            theory = QueueingTheory.mmcMeanWait(arrivalRate: lambda, serviceRate: 1 / service.mean, servers: servers)
        }
        let simulated = result.summary.meanWaitSeconds
        return (simulated, theory, abs(simulated - theory) / theory)
    }

    static var optimised: Bool {
        #if DEBUG
        false
        #else
        true
        #endif
    }

    @Test func erlangCMatchesKnownValues() {
        // M/M/1: P(wait) = ρ. M/M/2 at a = 1: C = 1/3.
        #expect(abs(QueueingTheory.erlangC(servers: 1, offeredLoad: 0.7) - 0.7) < 1e-12)
        #expect(abs(QueueingTheory.erlangC(servers: 2, offeredLoad: 1) - 1.0 / 3) < 1e-12)
        #expect(abs(QueueingTheory.mmcMeanWait(arrivalRate: 8, serviceRate: 1, servers: 10) - 0.2046) < 1e-4)
    }

    @Test func mmcAtHalfLoadMatchesErlangC() throws {
        let check = try Self.relativeError(servers: 2, rho: 0.5, incidents: 400_000, seed: 11)
        #expect(check.error < 0.03, "M/M/2 ρ=0.5: simulated \(check.simulated), Erlang C \(check.theory)")
    }

    @Test func mmcAtEightyPercentMatchesErlangC() throws {
        let check = try Self.relativeError(servers: 2, rho: 0.8, incidents: 800_000, seed: 12)
        #expect(check.error < 0.03, "M/M/2 ρ=0.8: simulated \(check.simulated), Erlang C \(check.theory)")
    }

    /// At ρ = 0.95 a 1% standard error takes about twelve million incidents: minutes in a debug
    /// build, seconds in a release one. It runs under `swift test -c release` (`make test-queueing`).
    @Test(.enabled(if: Self.optimised, "needs an optimised build: run `make test-queueing`"))
    func mmcAtNinetyFivePercentMatchesErlangC() throws {
        let check = try Self.relativeError(servers: 2, rho: 0.95, incidents: 12_000_000, seed: 13)
        #expect(check.error < 0.03, "M/M/2 ρ=0.95: simulated \(check.simulated), Erlang C \(check.theory)")
    }

    @Test func contractNetWithInstantMessagesIsAlsoMMc() throws {
        let check = try Self.relativeError(servers: 2, rho: 0.5, incidents: 200_000, allocator: "contract-net", seed: 14)
        #expect(check.error < 0.03, "contract-net M/M/2 ρ=0.5: simulated \(check.simulated), Erlang C \(check.theory)")
    }

    @Test func md1MatchesPollaczekKhinchine() throws {
        let check = try Self.relativeError(servers: 1, rho: 0.8, incidents: 400_000, service: .deterministic(1), seed: 15)
        #expect(check.error < 0.03, "M/D/1 ρ=0.8: simulated \(check.simulated), P–K \(check.theory)")
    }
}
