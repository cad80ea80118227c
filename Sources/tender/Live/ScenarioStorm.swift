import TenderConfig
import TenderCore
import TenderService
import TenderSim

/// Plays a `simulations/*.yaml` scenario's arrivals as live incidents, with entities drawn so
/// that the specialists' playbooks have something to fill their typed parameters with.
struct ScenarioStorm: IncidentStream {
    private var arrivals: ScenarioArrivals
    private var random: SeededGenerator
    private let maximumTime: Double
    private var count = 0

    init(scenario: Scenario, seed: UInt64?, maximumTime: Double?) {
        arrivals = ScenarioArrivals(scenario: scenario, seed: seed)
        random = SeededGenerator(seed: (seed ?? scenario.seed) ^ 0x5EED_E171)
        self.maximumTime = maximumTime ?? .infinity
    }

    mutating func next() -> (at: Double, submission: IncidentSubmission)? {
        guard let arrival = arrivals.next(), arrival.time <= maximumTime else { return nil }
        count += 1
        let services = ["checkout", "search", "auth", "payments", "catalog"]
        let regions = ["eu-west-1", "us-east-1", "ap-south-1"]
        let service = services[random.nextIndex(below: services.count)]
        let entities: [Entity] = [
            .ip("198.51.100.\(random.nextIndex(below: 250) + 1)"), .host("node-\(random.nextIndex(below: 40))"),
            .service(service), .user("user\(random.nextIndex(below: 500))"), .query("q-\(random.nextIndex(below: 1000))"),
        ]
        return (arrival.time, IncidentSubmission(
            category: arrival.category, severity: arrival.severity, service: service,
            region: regions[random.nextIndex(below: regions.count)], entities: entities, reference: "storm-\(count)"
        ))
    }
}
