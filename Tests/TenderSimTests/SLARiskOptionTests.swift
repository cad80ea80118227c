import Testing
import TenderConfig
import TenderCore
@testable import TenderSim

/// `SimulationOptions.slaRiskFraction`: the simulator's reports measure breaches without paging
/// on them; training turns the production rule on, so work left waiting is escalated as live.
struct SLARiskOptionTests {
    final class Reasons: SimulationObserver, @unchecked Sendable {
        var counts: [EscalationReason: Int] = [:]
        func concluded(_ incident: IncidentID, _ conclusion: Conclusion, category: IncidentCategory, severity: Severity,
                       arrivedAt: Double, slaDeadline: Double, at now: Double) {
            if case .escalated(let escalation) = conclusion { counts[escalation.reason, default: 0] += 1 }
        }
    }

    /// An overloaded storm (honest bidders collapse on database-cascade): incidents wait in the
    /// backlog past their SLA-risk point.
    func escalations(slaRiskFraction: Double?) throws -> [EscalationReason: Int] {
        var scenario = try ScenarioLoader.load(path: Repository.path("simulations/database-cascade.yaml"))
        scenario.stop = .duration(20_000)
        let reasons = Reasons()
        var options = SimulationOptions(seed: 11)
        options.observer = reasons
        options.slaRiskFraction = slaRiskFraction
        options.samples = 1
        _ = try Simulation(scenario: scenario, options: options).run()
        return reasons.counts
    }

    @Test func reportsDoNotPageOnSLARiskAndTrainingDoes() throws {
        #expect(try escalations(slaRiskFraction: nil)[.slaAtRisk] == nil)
        let live = try escalations(slaRiskFraction: 0.9)
        #expect((live[.slaAtRisk] ?? 0) > 0, "\(live)")
    }
}
