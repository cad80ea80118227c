import Foundation
import TenderConfig
import TenderCore

/// A discrete-event simulation of an incident storm driving the real contract-net engine.
///
/// The simulator owns the virtual clock, the storm, the specialists and the metrics; every
/// allocation decision (auctions, awards, backlog, retries, escalation) is the `Auctioneer`'s.
/// Direct baselines run through the same engine in its `.direct` mode.
public struct Simulation {
    public let scenario: Scenario
    public let allocatorName: String
    public let policyName: String?
    public let seed: UInt64
    let options: SimulationOptions

    var engine: Auctioneer
    var agenda = EventQueue<SimEvent>()
    /// Zero-latency messages, delivered in order before the agenda moves on.
    var immediate = MessageQueue<SimMessage>()
    /// Messages with latency, with their delivery times (which never decrease: the latency is
    /// fixed), delivered before any agenda event due at the same time or later.
    var delayed = MessageQueue<DelayedMessage>()
    var actions: [EngineAction] = []
    var specialists: [SimulatedSpecialist] = []
    /// The specialists' task models, flattened so drawing a plan reads plain numbers from
    /// constant arrays instead of copying a `SimulatedSpecialist` (and retaining its arrays):
    /// service distributions at `index * 16 + category * 4 + severity`, failure probabilities at
    /// `index * 4 + category`, rollback factors at `index`.
    let serviceTable: [ServiceDistribution]
    let failureTable: [Double]
    let rollbackTable: [Double]
    /// What bidding policies are told, flattened the same way: mean service at full skill
    /// (`index * 16 + category * 4 + severity`), skill (`index * 4 + category`), capacity.
    let expectedTable: [Double]
    let skillTable: [Double]
    /// Per `category * 4 + severity`: the shortest expected service time of any specialist with
    /// skill for it (infinite when none has), for `ttr_lower_bound_s`.
    let bestServiceTable: [Double]
    let capacityTable: [Int]
    var ledger = IncidentLedger()
    var generators: [ArrivalGenerator] = []
    /// The arrival each generator has scheduled, waiting in the agenda.
    var pendingArrivals: [(IncidentCategory, Severity)] = []
    var cascades: CascadeTable
    var followUps: [(Double, IncidentCategory, Severity)] = []
    var metrics: SimulationMetrics
    let policy: (any BiddingPolicy)?
    /// Per specialist-group policies (`policy:` on a group), nil where the group uses `policy`.
    var groupPolicies: [(any BiddingPolicy)?] = []
    /// The built-in policies unwrapped, so answering a CFP makes a static call rather than open
    /// (and copy) an existential; `policy` is used for any other.
    let honestPolicy: HonestETAPolicy?
    let sheddingPolicy: LoadSheddingPolicy?
    /// Whether specialists bid at all (contract net); direct baselines send no CFPs.
    let answersCFPs: Bool
    var crashRandom: SeededGenerator
    var incidentSeeds: SeededGenerator

    var now = 0.0
    /// The specialist of the latest accept, for the commitment timer that follows it.
    var lastWinner = 0
    let latency: Double
    /// Arrivals still allowed (`Int.max` for duration-bounded runs).
    var arrivalsLeft: Int
    /// Events in the agenda that can still move an incident along (not samples, not crashes).
    var foreground = 0
    let skipReplyDeadlines: Bool
    /// Recent arrival rate over the nominal one, as bidding policies see it.
    var stormMeter: StormIntensityMeter
    let sampleInterval: Double
    /// `scenario.nominalRate`, computed once: it sums over the arrival streams.
    let nominalRate: Double

    public init(scenario: Scenario, options: SimulationOptions = SimulationOptions()) throws {
        self.scenario = scenario
        self.options = options
        seed = options.seed ?? scenario.seed
        allocatorName = options.allocator ?? scenario.allocator
        var master = SeededGenerator(seed: seed)

        var config = EngineConfig()
        config.backlogOrder = scenario.backlog
        config.seed = master.next()
        let allocatorSeed = master.next()
        if let window = scenario.replyWindow { config.replyWindow = window }
        // The simulator measures SLA breaches instead of paging on them: an escalated incident has
        // no time to resolve, so escalating the slowest would flatter whichever allocator made
        // them slow. Every other escalation rule applies as in production. (Training turns the
        // rule on through `options.slaRiskFraction`: there the escalation is the lesson.)
        config.slaRiskFraction = options.slaRiskFraction
        // A plan counts once executed: the specialist reports it, the executor applies it or
        // rolls it back (`SimulatedSpecialist.plan`), and the engine re-auctions a rollback.
        config.executesPlans = true
        config.excludesFailedSpecialists = false
        config.reputation.enabled = options.reputation ?? scenario.reputation
        // Direct allocations carry no ETA; give them the commitment an honest bid from the
        // slowest capable specialist would get, so a baseline is not cancelled for being slow.
        config.directCommitment = Self.directCommitment(scenario, config)
        latency = scenario.messageLatency
        nominalRate = scenario.nominalRate
        stormMeter = StormIntensityMeter(nominalRate: nominalRate)
        skipReplyDeadlines = options.skipStaleTimers && 2 * latency < config.replyWindow

        let mode: AllocationMode
        if allocatorName == "contract-net" {
            let name = options.policy ?? scenario.policy
            let chosen: any BiddingPolicy
            if let given = options.biddingPolicy {
                chosen = given
            } else {
                do {
                    chosen = try PolicyLoader.resolve(name)
                } catch {
                    throw SimulationError("bidding policy `\(name)`: " + ConfigValidator.messages(error).joined(separator: "; "))
                }
            }
            policy = chosen
            honestPolicy = chosen as? HonestETAPolicy
            sheddingPolicy = chosen as? LoadSheddingPolicy
            answersCFPs = true
            policyName = options.biddingPolicy?.name ?? PolicyLoader.label(name)
            mode = .contractNet(LowestCompletionTime())
        } else {
            guard let allocator = AllocatorNames.makeDirect(allocatorName, seed: allocatorSeed) else {
                throw SimulationError("unknown allocator `\(allocatorName)`, expected one of: \(AllocatorNames.all.joined(separator: ", "))")
            }
            policy = nil
            honestPolicy = nil
            sheddingPolicy = nil
            answersCFPs = false
            policyName = nil
            mode = .direct(allocator)
        }
        engine = Auctioneer(config: config, mode: mode)
        if answersCFPs {
            groupPolicies = try scenario.specialists.map { group in
                guard let name = group.policy else { return nil }
                do { return try PolicyLoader.resolve(name) } catch {
                    throw SimulationError("bidding policy `\(name)` of group \(group.name): " + ConfigValidator.messages(error).joined(separator: "; "))
                }
            }
        }

        // Streams are split from the master in a fixed order, whatever the allocator, so the
        // storm itself is the same for every allocator on the same seed.
        let arrivalSeeds = scenario.arrivals.map { _ in master.next() }
        cascades = CascadeTable(rules: scenario.cascades, seed: master.next())
        crashRandom = master.split()
        incidentSeeds = master.split()
        generators = zip(scenario.arrivals, arrivalSeeds).map { ArrivalGenerator(stream: $0, seed: $1) }
        pendingArrivals = Array(repeating: (.security, .medium), count: generators.count)

        for (group, spec) in scenario.specialists.enumerated() {
            for member in 0..<spec.count {
                let name = spec.count == 1 ? spec.name : "\(spec.name)-\(member + 1)"
                specialists.append(SimulatedSpecialist(id: SpecialistID(specialists.count), instanceName: name, group: group, spec: spec))
            }
        }
        serviceTable = specialists.flatMap(\.service)
        failureTable = specialists.flatMap { specialist in IncidentCategory.allCases.map { specialist.failureProbability[$0] } }
        rollbackTable = specialists.map(\.rollbackFactor)
        expectedTable = specialists.flatMap(\.expectedService)
        skillTable = specialists.flatMap { specialist in IncidentCategory.allCases.map { specialist.info.skills[$0] } }
        capacityTable = specialists.map(\.info.capacity)
        bestServiceTable = Self.bestService(expected: expectedTable, skills: skillTable)
        if case .direct(let allocator) = mode, let planner = allocator as? CentralGreedyAllocator {
            for (specialist, spec) in zip(specialists, specialists.map { scenario.specialists[$0.group] }) {
                planner.register(specialist.info.id) { spec.service.mean(for: $0, $1) }
            }
        }
        metrics = SimulationMetrics(measureFrom: scenario.warmup, capabilities: specialists.map(\.info.capability))
        switch scenario.stop {
        case .duration(let seconds):
            arrivalsLeft = .max
            sampleInterval = seconds / Double(max(options.samples, 1))
        case .incidents(let count):
            arrivalsLeft = count
            let rate = max(scenario.nominalRate, 1e-12)
            sampleInterval = Double(count) / rate / Double(max(options.samples, 1))
        }
        actions.reserveCapacity(1024)
    }

    /// The fastest expected service per category and severity: each specialist's mean service
    /// divided by its skill (as its draws are), minimised over the specialists with any skill.
    static func bestService(expected: [Double], skills: [Double]) -> [Double] {
        var best = Array(repeating: Double.infinity, count: 16)
        for specialist in 0..<(skills.count / 4) {
            for category in IncidentCategory.allCases {
                let skill = skills[specialist * 4 + category.rawValue]
                guard skill > 0 else { continue }
                for severity in Severity.allCases {
                    let index = SpecialistWorkModel.index(category, severity)
                    best[index] = min(best[index], expected[specialist * 16 + index] / max(skill, 0.01))
                }
            }
        }
        return best
    }

    static func directCommitment(_ scenario: Scenario, _ config: EngineConfig) -> Double {
        var slowest = 0.0
        for group in scenario.specialists {
            for category in IncidentCategory.allCases where group.skills[category] >= config.minimumSkill {
                for severity in Severity.allCases {
                    slowest = max(slowest, group.service.mean(for: category, severity) / group.skills[category])
                }
            }
        }
        return config.commitSlack * slowest + config.commitGrace
    }

    /// Schedule an event in the agenda, keeping count of the ones that can move incidents along.
    @inline(__always)
    mutating func schedule(_ event: SimEvent, at time: Double) {
        if event.isForeground { foreground += 1 }
        agenda.schedule(event, at: time, priority: event.priority)
    }

    /// Send a message: through the instant FIFO when messages take no time, else through the
    /// delayed one, stamped with its delivery time.
    @inline(__always)
    mutating func send(_ message: SimMessage) {
        if now >= metrics.measureFrom { metrics.messages += 1 }
        if latency == 0 {
            immediate.push(message)
        } else {
            delayed.push(DelayedMessage(time: now + latency, message: message))
        }
    }
}

extension SimEvent {
    /// Whether the event can still change an incident's fate; samples and future crashes cannot.
    var isForeground: Bool {
        switch self {
        case .sample, .warmupEnded, .pool(_, .crash), .pool(_, .leave): false
        default: true
        }
    }
}
