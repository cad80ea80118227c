import TenderConfig
import TenderCore

/// A scenario's arrivals in time order, for playing a storm live (`tender up`) rather than
/// simulating it: its arrival streams merged, plus the follow-ups its cascade rules trigger.
/// Streams and cascades draw from the seeds they get in a simulation of the scenario, so the
/// live storm is the simulated one's. Crashes and the specialists are the live system's own
/// business and are not generated here.
public struct ScenarioArrivals {
    public typealias Arrival = (time: Double, category: IncidentCategory, severity: Severity)

    private var generators: [ArrivalGenerator]
    private var heads: [Arrival?]
    private var cascades: CascadeTable
    /// Follow-ups not yet due, latest first, so the next one is `last`. Few are ever pending
    /// (a handful per triggering incident, minutes apart), so a sorted array is enough.
    private var followUps: [(arrival: Arrival, depth: UInt8)] = []
    private var triggered: [(Double, IncidentCategory, Severity)] = []
    private let limit: StopCondition
    private var produced = 0

    public init(scenario: Scenario, seed: UInt64? = nil) {
        // The same split order as `Simulation.init`: engine seed, allocator seed, one seed per
        // arrival stream, then the cascade seed.
        var master = SeededGenerator(seed: seed ?? scenario.seed)
        _ = master.next()
        _ = master.next()
        let seeds = scenario.arrivals.map { _ in master.next() }
        cascades = CascadeTable(rules: scenario.cascades, seed: master.next())
        generators = zip(scenario.arrivals, seeds).map { ArrivalGenerator(stream: $0, seed: $1) }
        heads = []
        limit = scenario.stop
        for index in generators.indices { heads.append(generators[index].next()) }
    }

    /// The next arrival, in scenario seconds; nil once the scenario's stop condition (duration,
    /// or an incident count that includes follow-ups, as in the simulator) is reached.
    public mutating func next() -> Arrival? {
        let stream = heads.indices.filter { heads[$0] != nil }.min { heads[$0]!.time < heads[$1]!.time }
        let arrival: Arrival
        let depth: UInt8
        if let pending = followUps.last, stream == nil || pending.arrival.time <= heads[stream!]!.time {
            followUps.removeLast()
            (arrival, depth) = pending
        } else if let stream {
            arrival = heads[stream]!
            depth = 0
            heads[stream] = generators[stream].next()
        } else {
            return nil
        }
        switch limit {
        case .duration(let seconds) where arrival.time > seconds: return nil
        case .incidents(let count) where produced >= count: return nil
        default: break
        }
        produced += 1
        if !cascades.isEmpty { schedule(followUpsOf: arrival, depth: depth) }
        return arrival
    }

    private mutating func schedule(followUpsOf arrival: Arrival, depth: UInt8) {
        cascades.followUps(of: arrival.category, arrival.severity, depth: depth, into: &triggered)
        for (delay, category, severity) in triggered {
            let followUp = (arrival: (time: arrival.time + delay, category: category, severity: severity), depth: depth + 1)
            // Insert before every entry due no later, keeping latest-first order and, among
            // follow-ups due together, the order they were triggered in.
            let index = followUps.firstIndex { $0.arrival.time <= followUp.arrival.time } ?? followUps.endIndex
            followUps.insert(followUp, at: index)
        }
    }
}
