import TenderConfig
import TenderCore

/// A scenario's arrival streams merged in time order, for playing a storm live (`tender up`)
/// rather than simulating it. Each stream draws from the same seed it gets in a simulation of
/// the scenario, so the live storm is the simulated one's arrivals. Cascades, crashes and the
/// specialists are the live system's own business and are not generated here.
public struct ScenarioArrivals {
    private var generators: [ArrivalGenerator]
    private var heads: [(time: Double, category: IncidentCategory, severity: Severity)?]
    private let limit: StopCondition
    private var produced = 0

    public init(scenario: Scenario, seed: UInt64? = nil) {
        // The same split order as `Simulation.init`: engine seed, allocator seed, then one seed
        // per arrival stream.
        var master = SeededGenerator(seed: seed ?? scenario.seed)
        _ = master.next()
        _ = master.next()
        let seeds = scenario.arrivals.map { _ in master.next() }
        generators = zip(scenario.arrivals, seeds).map { ArrivalGenerator(stream: $0, seed: $1) }
        heads = []
        limit = scenario.stop
        for index in generators.indices { heads.append(generators[index].next()) }
    }

    /// The next arrival across all streams, in scenario seconds; nil once the scenario's stop
    /// condition (duration or incident count) is reached.
    public mutating func next() -> (time: Double, category: IncidentCategory, severity: Severity)? {
        guard let index = heads.indices.filter({ heads[$0] != nil }).min(by: { heads[$0]!.time < heads[$1]!.time }) else { return nil }
        let arrival = heads[index]!
        switch limit {
        case .duration(let seconds) where arrival.time > seconds: return nil
        case .incidents(let count) where produced >= count: return nil
        default: break
        }
        heads[index] = generators[index].next()
        produced += 1
        return arrival
    }
}
