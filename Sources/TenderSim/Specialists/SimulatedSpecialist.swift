import TenderConfig
import TenderCore

/// One simulated specialist: its skills and service-time model, what it is working on, and the
/// statistics its bidding policy observes. Service times are drawn from its distributions and
/// divided by its skill for the category, so a 0.5-skilled specialist takes twice as long.
struct SimulatedSpecialist {
    let info: SpecialistInfo
    let group: Int
    /// Per category × severity: the skill-scaled distribution of one task's service time.
    let service: [ServiceDistribution]
    /// Per category × severity: mean service at full skill, what the bidding policy is told.
    let expectedService: [Double]
    let failureProbability: PerCategory<Double>
    let rollbackFactor: Double
    var present = false
    /// Tasks in hand, as incident-ledger slots.
    var tasks: [Int] = []
    /// Exponentially weighted share of its recent proposals that won.
    var recentWinRate = 0.5

    init(id: SpecialistID, instanceName: String, group: Int, spec: SpecialistGroup) {
        info = SpecialistInfo(id: id, name: instanceName, kind: spec.kind, skills: spec.skills, capacity: spec.capacity)
        self.group = group
        var service: [ServiceDistribution] = []
        var expected: [Double] = []
        for category in IncidentCategory.allCases {
            let skill = max(spec.skills[category], 0.01)
            for severity in Severity.allCases {
                service.append(spec.service.distribution(for: category, severity).scaled(by: 1 / skill))
                expected.append(spec.service.mean(for: category, severity))
            }
        }
        self.service = service
        expectedService = expected
        failureProbability = PerCategory { spec.failure.probability(skill: spec.skills[$0]) }
        rollbackFactor = spec.rollbackFactor
    }

    var busy: Int { tasks.count }

    /// Won and started the task for ledger slot `slot`.
    @inline(__always)
    mutating func take(_ slot: Int) {
        recentWinRate = recentWinRate * 0.95 + 0.05
        tasks.append(slot)
    }

    /// No longer working on ledger slot `slot` (finished, cancelled or crashed).
    @inline(__always)
    mutating func drop(_ slot: Int) {
        guard let position = tasks.firstIndex(of: slot) else { return }
        tasks.swapAt(position, tasks.count - 1)
        tasks.removeLast()
    }

    @inline(__always)
    static func index(_ category: IncidentCategory, _ severity: Severity) -> Int {
        category.rawValue &* 4 &+ severity.rawValue
    }

    /// How one attempt at a task goes, drawn from the incident's own random stream so that the
    /// same incident is equally hard whichever allocator sends it here (common random numbers).
    /// The one model of a simulated attempt: the specialist works for a service time drawn from
    /// its profile and reports its plan, which the executor applies. With the profile's failure
    /// probability a step fails and is rolled back, which takes `rollbackFactor` × the service
    /// time with the specialist still on the task (it supervises the undo), so the report comes
    /// that much later and the execution outcome (`rolled back`) follows it. Freeing the
    /// specialist before the undo was tried: on database-cascade it sent retries to weak
    /// specialists and the backlog grew without bound.
    /// Static, over one entry of the specialist's tables (`service`, `failureProbability`,
    /// `rollbackFactor`), so the simulator can draw without copying the specialist.
    @inline(__always)
    static func plan(
        _ service: ServiceDistribution, failureProbability: Double, rollbackFactor: Double, random: inout SeededGenerator
    ) -> TaskPlan {
        let service = service.sample(&random)
        let fails = random.nextUnit() < failureProbability
        return TaskPlan(service: service, duration: fails ? service * (1 + rollbackFactor) : service, applied: !fails, rollback: 0)
    }
}

/// One attempt's course: how long the specialist works until it reports its plan (undo
/// included), and how the plan's execution ends.
struct TaskPlan {
    var service: Double
    /// Award to the plan's report (inform-result).
    var duration: Double
    var applied: Bool
    /// Seconds from the report to the executor's outcome (the undo is inside `duration`).
    var rollback: Double
    /// Seconds from the report to the execution's outcome.
    var execution: Double { rollback }
}
