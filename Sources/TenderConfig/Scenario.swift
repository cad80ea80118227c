import TenderCore

/// An incident storm to simulate: who is in the pool, what arrives and how, and how it is
/// allocated. `docs/SCENARIOS.md` documents the YAML form; `ScenarioLoader` reads it.
public struct Scenario: Sendable {
    public var name: String
    public var seed: UInt64
    public var stop: StopCondition
    /// Seconds at the start left out of the metrics.
    public var warmup: Double
    public var specialists: [SpecialistGroup]
    public var arrivals: [ArrivalStream]
    public var cascades: [CascadeRule]
    public var backlog: BacklogOrder
    /// `contract-net` or one of the direct baselines (`AllocatorNames.all`).
    public var allocator: String
    /// The bidding policy simulated specialists use under contract net.
    public var policy: String
    /// One-way delay of every message between coordinator and specialist, in seconds.
    public var messageLatency: Double
    /// Reply-by window of a call for proposals; the engine's default when nil.
    public var replyWindow: Double?
    /// Whether awards weigh the bidders' track records (`reputation: off` turns it off).
    public var reputation = true
    /// The file it came from, for messages.
    public var source: String

    public init(
        name: String, seed: UInt64 = 1, stop: StopCondition, warmup: Double = 0,
        specialists: [SpecialistGroup], arrivals: [ArrivalStream], cascades: [CascadeRule] = [],
        backlog: BacklogOrder = .priority, allocator: String = "contract-net", policy: String = "honest",
        messageLatency: Double = 0, replyWindow: Double? = nil, source: String = ""
    ) {
        self.name = name
        self.seed = seed
        self.stop = stop
        self.warmup = warmup
        self.specialists = specialists
        self.arrivals = arrivals
        self.cascades = cascades
        self.backlog = backlog
        self.allocator = allocator
        self.policy = policy
        self.messageLatency = messageLatency
        self.replyWindow = replyWindow
        self.source = source
    }

    /// Specialists in the pool once everyone has joined.
    public var specialistCount: Int { specialists.reduce(0) { $0 + $1.count } }

    /// Long-run arrival rate of the storm's own processes (cascades and replays excluded).
    public var nominalRate: Double { arrivals.reduce(0) { $0 + $1.meanRate } }
}

/// When a simulation stops taking new incidents.
public enum StopCondition: Sendable, Hashable {
    /// Run this many simulated seconds; incidents still open then are reported as open.
    case duration(Double)
    /// Let this many incidents arrive (cascades included), then run until every one concludes.
    case incidents(Int)
}

/// `count` identical simulated specialists.
public struct SpecialistGroup: Sendable {
    public var name: String
    public var count: Int
    public var kind: SpecialistKind
    public var capacity: Int
    public var skills: PerCategory<Double>
    public var service: ServiceTimeModel
    public var failure: FailureModel
    /// Rollback after a failure takes this fraction of the failed attempt's service time.
    public var rollbackFactor: Double
    /// When the group joins the pool (0: from the start) and leaves it (nil: never).
    public var joinAt: Double
    public var leaveAt: Double?
    /// Random crashes: each member crashes after exponential up-time, then rejoins after `downtime`.
    public var crash: CrashModel?
    /// This group's own bidding policy (a name, or a resolved policy file path); nil: the scenario's.
    public var policy: String?

    public init(
        name: String, count: Int, kind: SpecialistKind, capacity: Int, skills: PerCategory<Double>,
        service: ServiceTimeModel, failure: FailureModel = FailureModel(base: 0, slope: 0),
        rollbackFactor: Double = 0.5, joinAt: Double = 0, leaveAt: Double? = nil, crash: CrashModel? = nil
    ) {
        self.name = name
        self.count = count
        self.kind = kind
        self.capacity = capacity
        self.skills = skills
        self.service = service
        self.failure = failure
        self.rollbackFactor = rollbackFactor
        self.joinAt = joinAt
        self.leaveAt = leaveAt
        self.crash = crash
    }
}

/// Crash-and-recover behaviour of a simulated specialist.
public struct CrashModel: Sendable, Hashable {
    /// Mean seconds of up-time between crashes (exponential).
    public var meanTimeBetween: Double
    /// Seconds a crashed specialist stays away before it rejoins.
    public var downtime: Double

    public init(meanTimeBetween: Double, downtime: Double) {
        self.meanTimeBetween = meanTimeBetween
        self.downtime = downtime
    }
}

/// One source of incidents of a category and severity.
public struct ArrivalStream: Sendable {
    public var category: IncidentCategory
    public var severity: Severity
    /// Incidents per second (the base rate; see the process for how it varies).
    public var rate: Double
    public var process: ArrivalProcess

    public init(category: IncidentCategory, severity: Severity, rate: Double, process: ArrivalProcess = .poisson) {
        self.category = category
        self.severity = severity
        self.rate = rate
        self.process = process
    }

    /// Long-run mean arrivals per second; 0 for a replay, whose rate is the trace's own.
    public var meanRate: Double {
        switch process {
        case .poisson, .diurnal: rate
        case .bursty(let burstRate, let meanOn, let meanOff): (rate * meanOff + burstRate * meanOn) / (meanOn + meanOff)
        case .replay: 0
        }
    }
}

/// How arrivals of a stream are spread over time.
public enum ArrivalProcess: Sendable {
    /// Exponential gaps at `rate`.
    case poisson
    /// Markov-modulated on/off: `rate` while calm, `burstRate` during bursts; calm and burst
    /// periods last exponential times with the given means.
    case bursty(burstRate: Double, meanOn: Double, meanOff: Double)
    /// `rate × (1 + amplitude × cos(2π (t − peakAt) / period))`.
    case diurnal(amplitude: Double, period: Double, peakAt: Double)
    /// Replay a recorded trace, its gaps divided by `speed`.
    case replay(IncidentTrace, speed: Double)
}

/// An incident that triggers follow-ups: a database failover causes performance incidents, a DDoS
/// network and security ones.
public struct CascadeRule: Sendable {
    public var trigger: IncidentCategory
    /// Only triggers of this severity cascade; nil for any.
    public var triggerSeverity: Severity?
    public var follow: IncidentCategory
    /// The follow-up's severity; nil to inherit the trigger's.
    public var followSeverity: Severity?
    public var probability: Double
    /// Time from the trigger's arrival to the follow-up's.
    public var delay: ServiceDistribution

    public init(
        trigger: IncidentCategory, triggerSeverity: Severity? = nil, follow: IncidentCategory,
        followSeverity: Severity? = nil, probability: Double, delay: ServiceDistribution
    ) {
        self.trigger = trigger
        self.triggerSeverity = triggerSeverity
        self.follow = follow
        self.followSeverity = followSeverity
        self.probability = probability
        self.delay = delay
    }
}
