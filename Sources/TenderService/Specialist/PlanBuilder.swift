import TenderConfig
import TenderCore
import TenderWire

/// Turns an awarded incident into a concrete plan: the profile's first playbook for the
/// incident's category and severity, with every typed parameter filled from the incident's
/// entities (or the parameter's declared default). Values are data, never shell text.
enum PlanBuilder {
    struct Unfillable: Error, CustomStringConvertible {
        let description: String
    }

    static func plan(from profile: SpecialistProfile, for cfp: WireCallForProposals) -> Result<WirePlan, Unfillable> {
        guard let category = IncidentCategory(name: cfp.category), let severity = Severity(name: cfp.severity) else {
            return .failure(Unfillable(description: "unknown category or severity `\(cfp.category)`/`\(cfp.severity)`"))
        }
        guard let playbook = profile.playbook(for: category, severity) else {
            return .failure(Unfillable(description: "no playbook in \(profile.name) for \(severity.name) \(category.name) incidents"))
        }
        var plan = WirePlan()
        plan.playbook = playbook.name
        for step in playbook.steps {
            var wireStep = WirePlanStep()
            wireStep.action = step.action
            wireStep.risk = step.risk.name
            wireStep.undo = step.undo
            for parameter in step.parameters {
                guard let value = value(for: parameter, in: cfp) else {
                    return .failure(Unfillable(description: "\(playbook.name)/\(step.action): no \(parameter.type.rawValue) for parameter `\(parameter.name)` among the incident's entities"))
                }
                var wireParameter = WirePlanParameter()
                wireParameter.name = parameter.name
                wireParameter.type = parameter.type.rawValue
                wireParameter.value = value
                wireStep.parameters.append(wireParameter)
            }
            plan.steps.append(wireStep)
        }
        plan.summary = "\(playbook.name): " + plan.steps.map(\.action).joined(separator: " → ")
        return .success(plan)
    }

    static func value(for parameter: StepParameter, in cfp: WireCallForProposals) -> String? {
        guard parameter.type.isEntity else { return parameter.defaultValue }
        if let entity = cfp.entities.first(where: { $0.type == parameter.type.rawValue }), !entity.value.isEmpty {
            return entity.value
        }
        switch parameter.type {
        case .region where !cfp.region.isEmpty: return cfp.region
        case .service where !cfp.service.isEmpty: return cfp.service
        default: return parameter.defaultValue
        }
    }
}
