import TenderConfig
import TenderCore

/// Checks a plan against the profile of the specialist that sent it, before anything runs:
/// the playbook must be one of the profile's, each step must be that playbook's step (same
/// action, same undo), each parameter one the step declares with the declared type, and each
/// value valid for its type. The risk comes from the playbook, so a plan cannot talk its way
/// past the approval gate.
public enum PlanValidator {
    /// Why a plan was refused: which step, which field, what was expected.
    public struct Refusal: Error, Sendable, Hashable, CustomStringConvertible {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    public static func validate(
        _ plan: RemediationPlan, incident: IncidentID, from profile: SpecialistProfile,
        policy: (String) -> StepPolicy?
    ) -> Result<ValidatedPlan, Refusal> {
        guard let playbook = profile.playbooks.first(where: { $0.name == plan.playbook }) else {
            let names = profile.playbooks.map(\.name).joined(separator: ", ")
            return .failure(Refusal("playbook `\(plan.playbook)` is not one of \(profile.name)'s (\(names))"))
        }
        guard plan.steps.count == playbook.steps.count else {
            return .failure(Refusal("plan has \(plan.steps.count) steps, playbook \(playbook.name) has \(playbook.steps.count)"))
        }
        var steps: [ValidatedStep] = []
        for (index, (step, declared)) in zip(plan.steps, playbook.steps).enumerated() {
            let label = "step \(index + 1) (\(step.action))"
            guard step.action == declared.action else {
                return .failure(Refusal("\(label): action `\(step.action)` is not the playbook's `\(declared.action)`"))
            }
            guard step.undo == declared.undo else {
                return .failure(Refusal("\(label): undo `\(step.undo)` is not the playbook's `\(declared.undo)`"))
            }
            guard let actionPolicy = policy(step.action) else {
                return .failure(Refusal("\(label): no way to run action `\(step.action)` (missing from the actions file)"))
            }
            var undoPolicy = StepPolicy(idempotent: true, retries: 0, timeoutSeconds: actionPolicy.timeoutSeconds)
            if declared.undo != "noop" {
                guard let found = policy(declared.undo) else {
                    return .failure(Refusal("\(label): no way to run undo `\(declared.undo)` (missing from the actions file)"))
                }
                undoPolicy = found
            }
            var typed: [TypedParameter] = []
            let given = Dictionary(step.parameters.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
            guard given.count == step.parameters.count else {
                return .failure(Refusal("\(label): a parameter is given twice"))
            }
            if let extra = step.parameters.first(where: { parameter in !declared.parameters.contains { $0.name == parameter.name } }) {
                return .failure(Refusal("\(label): parameter `\(extra.name)` is not declared by the playbook"))
            }
            for parameter in declared.parameters {
                guard let value = given[parameter.name] else {
                    return .failure(Refusal("\(label): parameter `\(parameter.name)` (\(parameter.type.rawValue)) is missing"))
                }
                guard value.type == parameter.type.rawValue else {
                    return .failure(Refusal("\(label): parameter `\(parameter.name)` has type `\(value.type)`, expected \(parameter.type.rawValue)"))
                }
                if let problem = ParameterValidation.problem(value.value, as: parameter.type) {
                    return .failure(Refusal("\(label): parameter `\(parameter.name)` (\(parameter.type.rawValue)) \(problem)"))
                }
                typed.append(TypedParameter(name: parameter.name, type: parameter.type, value: value.value))
            }
            steps.append(ValidatedStep(
                action: step.action, undo: declared.undo, risk: declared.risk, parameters: typed,
                idempotent: actionPolicy.idempotent, undoIdempotent: undoPolicy.idempotent,
                retries: actionPolicy.idempotent ? actionPolicy.retries : 0,
                undoRetries: undoPolicy.idempotent ? undoPolicy.retries : 0,
                timeoutSeconds: actionPolicy.timeoutSeconds, undoTimeoutSeconds: undoPolicy.timeoutSeconds))
        }
        return .success(ValidatedPlan(incident: incident, specialist: profile.name, playbook: playbook.name, steps: steps))
    }
}
