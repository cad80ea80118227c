import Testing
import TenderConfig
import TenderCore
@testable import TenderSim

/// The arrivals `tender up` plays live: the scenario's streams in time order, with the
/// follow-ups its cascade rules trigger.
struct ScenarioArrivalsTests {
    static func scenario(cascades: String, stop: String = "duration: 3600") throws -> Scenario {
        try ScenarioLoader.parse(ConfigNode.parse("""
        name: live-cascade
        seed: 9
        \(stop)
        specialists: [{name: a, capacity: 1, skills: {network: 1, security: 1}, service: {network: {distribution: deterministic, mean: 1}}}]
        arrivals:
          - {category: network, severity: critical, process: poisson, rate: 0.01}
        \(cascades)
        """, file: "live.yaml"))
    }

    static func drain(_ arrivals: inout ScenarioArrivals) -> [ScenarioArrivals.Arrival] {
        var out: [ScenarioArrivals.Arrival] = []
        while let next = arrivals.next() { out.append(next) }
        return out
    }

    @Test func aCertainCascadeFollowsEveryTriggerAfterItsDelay() throws {
        let scenario = try Self.scenario(cascades: """
        cascades:
          - {trigger: network, follow: security, severity: high, probability: 1, delay: {distribution: deterministic, mean: 30}}
        """)
        var arrivals = ScenarioArrivals(scenario: scenario)
        let all = Self.drain(&arrivals)
        let triggers = all.filter { $0.category == .network }
        let followUps = all.filter { $0.category == .security }
        #expect(triggers.count > 10)
        #expect(zip(all, all.dropFirst()).allSatisfy { $0.time <= $1.time }, "played in time order")
        #expect(followUps.allSatisfy { $0.severity == .high })
        // Every trigger due 30 s before the end has its follow-up exactly 30 s later.
        for trigger in triggers where trigger.time + 30 <= 3600 {
            #expect(followUps.contains { abs($0.time - (trigger.time + 30)) < 1e-9 }, "no follow-up for \(trigger.time)")
        }
        #expect(followUps.count == triggers.filter { $0.time + 30 <= 3600 }.count)
    }

    @Test func withoutCascadesOnlyTheStreamsPlayAndTheSameSeedReplays() throws {
        let plain = try Self.scenario(cascades: "")
        var first = ScenarioArrivals(scenario: plain)
        var second = ScenarioArrivals(scenario: plain)
        let a = Self.drain(&first), b = Self.drain(&second)
        #expect(a.allSatisfy { $0.category == .network })
        #expect(a.map(\.time) == b.map(\.time))

        // Adding cascade rules does not move the streams' own arrivals.
        var cascading = ScenarioArrivals(scenario: try Self.scenario(cascades: """
        cascades:
          - {trigger: network, follow: performance, probability: 0.5, delay: 60}
        """))
        #expect(Self.drain(&cascading).filter { $0.category == .network }.map(\.time) == a.map(\.time))
    }

    @Test func anIncidentCountIncludesFollowUps() throws {
        let scenario = try Self.scenario(cascades: """
        cascades:
          - {trigger: network, follow: security, probability: 1, delay: {distribution: deterministic, mean: 1}}
        """, stop: "incidents: 7")
        var arrivals = ScenarioArrivals(scenario: scenario)
        let all = Self.drain(&arrivals)
        #expect(all.count == 7)
        #expect(all.map(\.category) == [.network, .security, .network, .security, .network, .security, .network])
    }
}
