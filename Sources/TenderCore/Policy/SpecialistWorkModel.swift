/// How one specialist works, in one place for the simulator, the live agent and the demo: what
/// its bidding policy observes about a call for proposals, and how an attempt at a task goes
/// (service time, failure, rollback). A policy trained in the simulator therefore sees in
/// production exactly the features it saw in training, and draws the same work.
public struct SpecialistWorkModel: Sendable {
    public let kind: SpecialistKind
    public let skills: PerCategory<Double>
    public let capacity: Int
    /// Per `category * 4 + severity`: one attempt's service time, already divided by the skill
    /// for the category and multiplied by the time scale.
    public let service: [ServiceDistribution]
    /// Per `category * 4 + severity`: mean service at full skill, which is what the bidding
    /// policy is told: in scenario seconds whatever the time scale, as in training.
    public let expectedService: [Double]
    /// Per category: probability that an attempt fails (after the failure scale).
    public let failureProbability: [Double]
    /// Rollback after a failure takes this fraction of the failed attempt's service time.
    public let rollbackFactor: Double

    /// - Parameters:
    ///   - timeScale: multiplies every drawn service time (the live agent runs demos faster than
    ///     life); what the policy is told stays in scenario seconds.
    ///   - failureScale: multiplies the failure probability (0: never fails).
    public init(
        kind: SpecialistKind, skills: PerCategory<Double>, capacity: Int, service: ServiceTimeModel,
        failure: FailureModel, rollbackFactor: Double = 0.5, timeScale: Double = 1, failureScale: Double = 1
    ) {
        self.kind = kind
        self.skills = skills
        self.capacity = capacity
        var distributions: [ServiceDistribution] = []
        var expected: [Double] = []
        for category in IncidentCategory.allCases {
            let skill = max(skills[category], 0.01)
            for severity in Severity.allCases {
                distributions.append(service.distribution(for: category, severity).scaled(by: timeScale / skill))
                expected.append(service.mean(for: category, severity))
            }
        }
        self.service = distributions
        expectedService = expected
        failureProbability = IncidentCategory.allCases.map { min(max(failure.probability(skill: skills[$0]) * failureScale, 0), 1) }
        self.rollbackFactor = rollbackFactor
    }

    @inlinable @inline(__always)
    public static func index(_ category: IncidentCategory, _ severity: Severity) -> Int {
        category.rawValue &* 4 &+ severity.rawValue
    }

    /// What the policy sees for a call about an incident of `category` and `severity`, given the
    /// specialist's state at that moment.
    @inlinable
    public func observation(
        _ category: IncidentCategory, _ severity: Severity, age: Double, slackToSLA: Double,
        load: Int, queue: Int = 0, recentWinRate: Double, stormIntensity: Double, invited: Int, incident: UInt64 = 0
    ) -> Observation {
        Self.observation(
            kind: kind, category: category, severity: severity, age: age, slackToSLA: slackToSLA,
            skill: skills[category], expectedService: expectedService[Self.index(category, severity)],
            load: load, capacity: capacity, queue: queue, recentWinRate: recentWinRate, stormIntensity: stormIntensity,
            invited: invited, incident: incident
        )
    }

    /// The one constructor of bidding observations, over plain numbers so the simulator can call
    /// it from its flattened tables without copying a model.
    @inlinable @inline(__always)
    public static func observation(
        kind: SpecialistKind, category: IncidentCategory, severity: Severity, age: Double, slackToSLA: Double,
        skill: Double, expectedService: Double, load: Int, capacity: Int, queue: Int,
        recentWinRate: Double, stormIntensity: Double, invited: Int, incident: UInt64 = 0
    ) -> Observation {
        Observation(
            category: category, severity: severity, age: age, slackToSLA: slackToSLA, skill: skill,
            expectedService: expectedService, load: load, capacity: capacity, queue: queue,
            recentWinRate: recentWinRate, stormIntensity: stormIntensity, kind: kind, invited: invited, incident: incident
        )
    }

    /// How one attempt at an incident of `category` and `severity` goes.
    @inlinable
    public func draw(_ category: IncidentCategory, _ severity: Severity, random: inout SeededGenerator) -> WorkDraw {
        Self.draw(
            service[Self.index(category, severity)], failureProbability: failureProbability[category.rawValue],
            rollbackFactor: rollbackFactor, random: &random
        )
    }

    /// The one draw of an attempt, over one entry of the model's tables: the service time, then
    /// whether it fails. A failure is found at the end of the work and rolled back before it is
    /// reported, so a failed attempt lasts `service × (1 + rollbackFactor)`.
    @inlinable @inline(__always)
    public static func draw(
        _ service: ServiceDistribution, failureProbability: Double, rollbackFactor: Double, random: inout SeededGenerator
    ) -> WorkDraw {
        let seconds = service.sample(&random)
        let fails = random.nextUnit() < failureProbability
        return WorkDraw(service: seconds, duration: fails ? seconds * (1 + rollbackFactor) : seconds, outcome: fails ? .failure : .done)
    }
}

/// One attempt's course: how long the work itself takes, how long until the report (with any
/// rollback), and what is reported.
public struct WorkDraw: Sendable, Hashable {
    public var service: Double
    public var duration: Double
    public var outcome: OutcomeKind

    @inlinable
    public init(service: Double, duration: Double, outcome: OutcomeKind) {
        self.service = service
        self.duration = duration
        self.outcome = outcome
    }
}

/// Arrivals over a recent window relative to a nominal rate: what bidding policies see as
/// `stormIntensity` (1 is normal, 3 a storm). The simulator feeds it every arrival; the live
/// agent feeds it every first-round call it receives.
public struct StormIntensityMeter: Sendable {
    /// Arrivals per second considered normal; 0 or less keeps the intensity at 1.
    public var nominalRate: Double
    /// Arrivals counted before the intensity is re-estimated.
    public static let window = 32
    public var intensity = 1.0
    @usableFromInline var windowStart = 0.0
    @usableFromInline var windowCount = 0

    public init(nominalRate: Double) { self.nominalRate = nominalRate }

    @inlinable @inline(__always)
    public mutating func noteArrival(at now: Double) {
        windowCount &+= 1
        guard nominalRate > 0, windowCount >= Self.window else { return }
        let elapsed = now - windowStart
        if elapsed > 0 { intensity = Double(windowCount) / elapsed / nominalRate }
        windowStart = now
        windowCount = 0
    }
}
