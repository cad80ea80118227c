/// What a specialist sees when it decides whether and how to bid on a call for proposals.
/// Every field is a plain number so a learned policy can read it as a feature vector.
public struct Observation: Sendable, Hashable {
    public var category: IncidentCategory
    public var severity: Severity
    /// Seconds since the incident was created.
    public var age: Double
    /// Seconds left until the SLA deadline (negative once breached).
    public var slackToSLA: Double
    /// The bidder's skill for this category, in [0, 1].
    public var skill: Double
    /// The bidder's mean service time for this category and severity at full skill.
    public var expectedService: Double
    /// Tasks the bidder holds now, and how many it can hold.
    public var load: Int
    public var capacity: Int
    /// Tasks queued at the bidder behind its busy slots (0 for specialists without a queue).
    public var queue: Int
    /// Fraction of the bidder's recent proposals that won, in [0, 1].
    public var recentWinRate: Double
    /// Recent arrival rate relative to the pool's nominal rate (1 means normal, 3 a storm).
    public var stormIntensity: Double
    /// The bidder's kind, so one shared learned policy can tell specialists apart.
    public var kind: SpecialistKind
    /// How many specialists this call went to, the bidder included: 1 means nobody else can
    /// take the incident this round, so a refusal leaves it waiting.
    public var invited: Int
    /// The incident the call is about (not a feature: lets training credit outcomes to decisions).
    public var incident: UInt64

    @inlinable
    public init(
        category: IncidentCategory, severity: Severity, age: Double, slackToSLA: Double,
        skill: Double, expectedService: Double, load: Int, capacity: Int, queue: Int = 0,
        recentWinRate: Double = 0, stormIntensity: Double = 1, kind: SpecialistKind = .security,
        invited: Int = 1, incident: UInt64 = 0
    ) {
        self.category = category
        self.severity = severity
        self.age = age
        self.slackToSLA = slackToSLA
        self.skill = skill
        self.expectedService = expectedService
        self.load = load
        self.capacity = capacity
        self.queue = queue
        self.recentWinRate = recentWinRate
        self.stormIntensity = stormIntensity
        self.kind = kind
        self.invited = invited
        self.incident = incident
    }

    /// Load as a fraction of capacity.
    @inlinable
    public var utilisation: Double { capacity > 0 ? Double(load) / Double(capacity) : 1 }

    /// The honest expected completion time: service scaled by skill, plus any wait for a slot.
    @inlinable
    public var honestETA: Double {
        let service = expectedService / max(skill, 0.01)
        let waitingAhead = max(0, load + queue - capacity + 1)
        // With a free slot nothing waits ahead and the second term is exactly zero (for a finite
        // service time): skip its division, the slowest instruction of a bid.
        if waitingAhead == 0, service.isFinite { return service }
        return service + Double(waitingAhead) * service / Double(max(capacity, 1))
    }
}
