import Foundation
import Testing
import TenderConfig
import TenderCore
@testable import TenderService
@testable import TenderSim
import TenderWire

/// The repository root, for the shipped profiles and scenarios.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

@Suite struct SpecialistModelTests {
    /// The simulator's specialist and the live agent, in the same state, must hand their policy
    /// the same observation and hence the same feature vector.
    @Test(arguments: [(IncidentCategory.network, Severity.critical), (.security, .low), (.database, .high)])
    func simulatorAndLiveAgentSeeTheSameFeatures(category: IncidentCategory, severity: Severity) throws {
        let scenario = try ScenarioLoader.load(path: "\(repositoryRoot)/simulations/ddos-storm.yaml")
        var simulation = try Simulation(scenario: scenario)
        let index = 0 // the first security specialist
        simulation.now = 1000
        let slot = simulation.ledger.open(category, severity, at: 400, measured: true, depth: 0, seed: 9)
        simulation.specialists[index].tasks = [slot, slot]
        simulation.specialists[index].recentWinRate = 0.37
        simulation.stormMeter.intensity = 2.5
        simulation.ledger[slot].invited = 3
        let fromSimulator = simulation.observation(slot, index)

        let profile = try ProfileLoader.load(path: "\(repositoryRoot)/specialists/security.yaml")
        let config = SpecialistAgentConfig(
            profile: profile, name: "security-1", policy: HonestETAPolicy(), key: try PreSharedKey(bytes: Array(repeating: 7, count: 32))
        )
        var cfp = WireCallForProposals()
        cfp.category = category.name
        cfp.severity = severity.name
        cfp.ref.incident = simulation.ledger[slot].id.rawValue
        cfp.ageS = 600
        cfp.slaSlackS = simulation.ledger[slot].slaDeadline - 1000
        cfp.invited = 3
        let fromLive = try #require(
            SpecialistAgent.observation(model: config.workModel, cfp: cfp, load: 2, recentWinRate: 0.37, stormIntensity: 2.5)
        )
        #expect(fromSimulator == fromLive)
        #expect(fromSimulator.features == fromLive.features)
        #expect(fromSimulator.kind == .security)
        #expect(fromSimulator.stormIntensity == 2.5)
        #expect(fromSimulator.invited == 3)
    }

    /// A demo agent (`--time-scale 0.005`) sees the call in scenario seconds: the same
    /// observation as an agent at scale 1 whose call arrived with the scenario's own figures.
    @Test(arguments: [0.005, 0.01, 0.5])
    func aTimeScaledAgentSeesScenarioSeconds(scale: Double) throws {
        let profile = try ProfileLoader.load(path: "\(repositoryRoot)/specialists/database.yaml")
        let key = try PreSharedKey(bytes: Array(repeating: 7, count: 32))
        var demo = SpecialistAgentConfig(profile: profile, name: "database-1", policy: HonestETAPolicy(), key: key)
        demo.timeScale = scale
        let real = SpecialistAgentConfig(profile: profile, name: "database-1", policy: HonestETAPolicy(), key: key)
        // A high incident (SLA window 3,600 scenario s, counted so by the coordinator) 900
        // scenario seconds old: the demo's call is 900 × scale wall seconds old.
        let window = Severity.high.defaultSLASeconds
        func call(age: Double) -> WireCallForProposals {
            var cfp = WireCallForProposals()
            cfp.category = "database"
            cfp.severity = "high"
            cfp.ageS = age
            cfp.slaSlackS = window - age
            return cfp
        }
        let scaled = try #require(SpecialistAgent.observation(model: demo.workModel, cfp: call(age: 900 * scale), load: 1, recentWinRate: 0.4, stormIntensity: 1.5, timeScale: scale))
        let scenario = try #require(SpecialistAgent.observation(model: real.workModel, cfp: call(age: 900), load: 1, recentWinRate: 0.4, stormIntensity: 1.5))
        #expect(abs(scaled.age - 900) < 1e-6 && abs(scaled.slackToSLA - (window - 900)) < 1e-6)
        #expect(scaled.expectedService == scenario.expectedService)
        let difference = zip(scaled.features, scenario.features).map { abs($0 - $1) }.max() ?? 0
        #expect(difference < 1e-9, "features differ by \(difference)")
        // Its attempts still take scaled wall time.
        var random = SeededGenerator(seed: 5)
        var again = SeededGenerator(seed: 5)
        let wall = demo.workModel.draw(.database, .high, random: &random)
        let model = real.workModel.draw(.database, .high, random: &again)
        #expect(abs(wall.duration - model.duration * scale) < 1e-9 * model.duration)
    }

    @Test func liveAgentRejectsAnUnknownCategory() throws {
        let profile = try ProfileLoader.load(path: "\(repositoryRoot)/specialists/security.yaml")
        let model = SpecialistWorkModel(kind: profile.kind, skills: profile.skills, capacity: 2, service: profile.service, failure: profile.failure)
        var cfp = WireCallForProposals()
        cfp.category = "plumbing"
        cfp.severity = "high"
        #expect(SpecialistAgent.observation(model: model, cfp: cfp, load: 0, recentWinRate: 0, stormIntensity: 1) == nil)
    }

    /// The draw is the model's: skill-scaled service, failure with rollback, and time scaling.
    @Test func workDrawFollowsSkillFailureAndTimeScale() {
        let service = ServiceTimeModel(base: PerCategory { _ in .deterministic(100) })
        let model = SpecialistWorkModel(
            kind: .network, skills: PerCategory { $0 == .network ? 1 : 0.5 }, capacity: 2, service: service,
            failure: FailureModel(base: 0, slope: 2), rollbackFactor: 0.5, timeScale: 0.1
        )
        var random = SeededGenerator(seed: 3)
        let home = model.draw(.network, .medium, random: &random)
        #expect(home == WorkDraw(service: 10, duration: 10, outcome: .done))
        // Skill 0.5: twice as long, and failure probability min(2 × 0.5, 1) = 1, so it always
        // fails and rolls back for half the service time more.
        let away = model.draw(.security, .medium, random: &random)
        #expect(away == WorkDraw(service: 20, duration: 30, outcome: .failure))
        // What the policy is told stays in scenario seconds, as in training.
        #expect(model.expectedService[SpecialistWorkModel.index(.security, .medium)] == 100)
    }

    @Test func stormMeterMeasuresTheRateOverItsWindow() {
        var meter = StormIntensityMeter(nominalRate: 0.5)
        for k in 1...StormIntensityMeter.window { meter.noteArrival(at: Double(k)) }
        // 32 arrivals in 32 s is 1/s against a nominal 0.5/s.
        #expect(meter.intensity == 2)
        var idle = StormIntensityMeter(nominalRate: 0)
        for k in 1...100 { idle.noteArrival(at: Double(k)) }
        #expect(idle.intensity == 1)
    }

    /// `--nominal-rate SCENARIO` gives the live agent the rate the simulator measures storm
    /// intensity against, so the same arrivals give the same `stormIntensity` feature.
    @Test func nominalRateFromAScenarioMatchesTheSimulatorsMeter() throws {
        let path = "\(repositoryRoot)/simulations/ddos-storm.yaml"
        let simulation = try Simulation(scenario: try ScenarioLoader.load(path: path))
        let rate = try NominalRate.parse(path)
        #expect(rate == simulation.nominalRate && rate > 0)
        var simulator = simulation.stormMeter
        let profile = try ProfileLoader.load(path: "\(repositoryRoot)/specialists/network.yaml")
        var config = SpecialistAgentConfig(profile: profile, name: "network-1", policy: HonestETAPolicy(), key: try PreSharedKey(bytes: Array(repeating: 7, count: 32)))
        config.nominalRate = rate
        var live = StormIntensityMeter(nominalRate: config.nominalRate)
        // A burst: arrivals three times as fast as the scenario's mean.
        for k in 1...(3 * StormIntensityMeter.window) {
            let t = Double(k) / (3 * rate)
            simulator.noteArrival(at: t)
            live.noteArrival(at: t)
        }
        #expect(live.intensity == simulator.intensity)
        #expect(abs(live.intensity - 3) < 0.2)
        let observation = { (intensity: Double) in
            config.workModel.observation(.network, .high, age: 60, slackToSLA: 1800, load: 0, recentWinRate: 0.5, stormIntensity: intensity, invited: 2)
        }
        #expect(observation(live.intensity).features == observation(simulator.intensity).features)
        #expect(try NominalRate.parse("0.25") == 0.25)
    }

    @Test func badNominalRatesAreRefusedWithTheReason() {
        for (argument, fragment) in [("-1", "at least 0"), ("fast", "neither a number"), ("nan", "at least 0")] {
            let error = #expect(throws: NominalRateError.self) { try NominalRate.parse(argument) }
            #expect(error?.description.contains(fragment) == true, "\(argument): \(String(describing: error))")
        }
        #expect(throws: (any Error).self) { try NominalRate.parse("/nonexistent/storm.yaml") }
    }

    @Test func featureVectorHasItsDeclaredLengthAndNames() {
        let observation = Observation(category: .database, severity: .low, age: 30, slackToSLA: -60, skill: 0.4, expectedService: 600, load: 1, capacity: 2, kind: .database)
        let features = observation.features
        #expect(features.count == Observation.featureCount)
        #expect(Observation.featureNames.count == Observation.featureCount)
        #expect(features[3] == 1 && features[4 + 3] == 1 && features[8 + 3] == 1)
        #expect(features[13] < 0) // breached SLA shows as negative slack
        #expect(features.allSatisfy { $0.isFinite })
    }
}
