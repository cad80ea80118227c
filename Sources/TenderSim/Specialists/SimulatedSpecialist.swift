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

    /// The one model of how a specialist works, shared with the live agent and the demo.
    let model: SpecialistWorkModel

    init(id: SpecialistID, instanceName: String, group: Int, spec: SpecialistGroup) {
        info = SpecialistInfo(id: id, name: instanceName, kind: spec.kind, skills: spec.skills, capacity: spec.capacity)
        self.group = group
        model = SpecialistWorkModel(
            kind: spec.kind, skills: spec.skills, capacity: spec.capacity, service: spec.service,
            failure: spec.failure, rollbackFactor: spec.rollbackFactor
        )
        service = model.service
        expectedService = model.expectedService
        failureProbability = PerCategory { [model] in model.failureProbability[$0.rawValue] }
        rollbackFactor = model.rollbackFactor
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
        SpecialistWorkModel.index(category, severity)
    }

    /// How one attempt at a task goes, drawn from the incident's own random stream so that the
    /// same incident is equally hard whichever allocator sends it here (common random numbers).
    /// Static, over one entry of the specialist's tables, so the simulator can draw without
    /// copying the specialist; the draw itself is `SpecialistWorkModel`'s.
    @inline(__always)
    static func plan(
        _ service: ServiceDistribution, failureProbability: Double, rollbackFactor: Double, random: inout SeededGenerator
    ) -> TaskPlan {
        SpecialistWorkModel.draw(service, failureProbability: failureProbability, rollbackFactor: rollbackFactor, random: &random)
    }
}

/// One attempt's course (the shared model's draw). The specialist works for the service time and
/// reports its plan, which the executor applies. With the profile's failure probability a step
/// fails and is rolled back, which takes `rollbackFactor` × the service time with the specialist
/// still on the task (it supervises the undo), so the undo is inside `duration` and the execution
/// outcome (`rolled back`) follows the report at once. Freeing the specialist before the undo was
/// tried: on database-cascade it sent retries to weak specialists and the backlog grew without
/// bound.
typealias TaskPlan = WorkDraw

extension WorkDraw {
    /// Whether the executor applies the reported plan.
    var applied: Bool { outcome.isSuccess }
    /// Seconds from the report to the execution's outcome (the undo is inside `duration`).
    var execution: Double { 0 }
}
