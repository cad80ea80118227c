import Foundation
import TenderCore
import TenderStore

extension ValidatedPlan {
    /// The plan's steps in the store's columns (`plan_steps`, `plan_parameters`), written with
    /// the execution so a restart can rebuild the plan without decoding its JSON.
    public var storedSteps: [StoredPlanStep] {
        steps.map { step in
            StoredPlanStep(action: step.action, undo: step.undo, risk: step.risk.name, idempotent: step.idempotent, undoIdempotent: step.undoIdempotent,
                           retries: step.retries, undoRetries: step.undoRetries, timeoutSeconds: step.timeoutSeconds, undoTimeoutSeconds: step.undoTimeoutSeconds,
                           parameters: step.parameters.map { StoredParameter(name: $0.name, type: $0.type.rawValue, value: $0.value) })
        }
    }

    /// The plan of an execution read back after a restart: from its stored steps, or, for an
    /// execution recorded before they existed (or whose columns do not read back), from its
    /// JSON. Nil when neither can be read.
    public init?(recovering log: ExecutionLog, decoder: JSONDecoder = JSONDecoder()) {
        if !log.planSteps.isEmpty, let steps = Self.steps(log.planSteps) {
            self.init(incident: IncidentID(log.incident), specialist: log.specialist, playbook: log.playbook, steps: steps)
            return
        }
        guard let plan = try? decoder.decode(ValidatedPlan.self, from: Data(log.plan.utf8)) else { return nil }
        self = plan
    }

    private static func steps(_ stored: [StoredPlanStep]) -> [ValidatedStep]? {
        var steps: [ValidatedStep] = []
        steps.reserveCapacity(stored.count)
        for step in stored {
            guard let risk = RiskLevel.allCases.first(where: { $0.name == step.risk }) else { return nil }
            var parameters: [TypedParameter] = []
            parameters.reserveCapacity(step.parameters.count)
            for parameter in step.parameters {
                guard let type = ParameterType(rawValue: parameter.type) else { return nil }
                parameters.append(TypedParameter(name: parameter.name, type: type, value: parameter.value))
            }
            steps.append(ValidatedStep(action: step.action, undo: step.undo, risk: risk, parameters: parameters, idempotent: step.idempotent,
                                       undoIdempotent: step.undoIdempotent, retries: step.retries, undoRetries: step.undoRetries,
                                       timeoutSeconds: step.timeoutSeconds, undoTimeoutSeconds: step.undoTimeoutSeconds))
        }
        return steps
    }
}
