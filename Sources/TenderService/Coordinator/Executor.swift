import Logging
import TenderCore

/// What an executor reports about one plan.
public struct ExecutionReport: Sendable, Hashable {
    public var incident: IncidentID
    public var stepsApplied: Int
    public var succeeded: Bool
    public var detail: String
}

/// Applies plans. The executor issue provides the real one (drivers, approvals, a write-ahead
/// rollback log); until then the coordinator uses `SimulatedExecutor`. Calls and completions
/// happen on the loop thread.
public protocol Executor: AnyObject {
    func execute(_ plan: RemediationPlan, for incident: Incident, completion: @escaping (ExecutionReport) -> Void)
}

/// Pretends to apply every step, in order, and logs what a real executor would do.
public final class SimulatedExecutor: Executor {
    private let logger: Logger
    public private(set) var plansApplied = 0

    public init(logger: Logger) { self.logger = logger }

    public func execute(_ plan: RemediationPlan, for incident: Incident, completion: @escaping (ExecutionReport) -> Void) {
        for (index, step) in plan.steps.enumerated() {
            let arguments = step.parameters.map { "\($0.name)=\($0.value)" }.joined(separator: " ")
            logger.debug("simulated step", metadata: [
                "incident": "\(incident.id)", "step": "\(index + 1)/\(plan.steps.count)",
                "action": "\(step.action)", "args": "\(arguments)", "undo": "\(step.undo)",
            ])
        }
        plansApplied += 1
        completion(ExecutionReport(incident: incident.id, stepsApplied: plan.steps.count, succeeded: true, detail: "simulated"))
    }
}
