import TenderConfig
import TenderCore
import TenderWire

/// Turns an awarded incident into a concrete plan: the first of the profile's playbooks for the
/// incident's category and severity whose typed parameters can all be filled from the
/// incident's entities (or the parameter's declared default). Values are data, never shell text.
enum PlanBuilder {
    struct Unfillable: Error, CustomStringConvertible {
        let description: String
        /// True when playbooks apply but each lacks an entity the incident does not carry: the
        /// incident is not actionable as reported, and no retry or other bidder can fix that.
        /// False for a specialist without a playbook for the incident (a capability question).
        var missingEntity = false
    }

    static func plan(from profile: SpecialistProfile, for cfp: WireCallForProposals) -> Result<WirePlan, Unfillable> {
        guard let category = IncidentCategory(name: cfp.category), let severity = Severity(name: cfp.severity) else {
            return .failure(Unfillable(description: "unknown category or severity `\(cfp.category)`/`\(cfp.severity)`"))
        }
        let applicable = profile.playbooks.filter { $0.applies(to: category, severity) }
        guard !applicable.isEmpty else {
            return .failure(Unfillable(description: "no playbook in \(profile.name) for \(severity.name) \(category.name) incidents"))
        }
        var misses: [String] = []
        for playbook in applicable {
            switch fill(playbook, from: cfp) {
            case .success(let plan): return .success(plan)
            case .failure(let miss): misses.append(miss.description)
            }
        }
        return .failure(Unfillable(description: misses.joined(separator: "; "), missingEntity: true))
    }

    /// Why the incident cannot be acted on, when every playbook that applies to it needs an
    /// entity it lacks; nil when a plan can be built or no playbook applies. Decided before
    /// bidding so the coordinator hears it once, as a `NOT_ACTIONABLE` refusal.
    /// Runs for every call, so it only looks values up and builds no plan.
    static func notActionable(_ profile: SpecialistProfile, _ cfp: WireCallForProposals) -> String? {
        guard let category = IncidentCategory(name: cfp.category), let severity = Severity(name: cfp.severity) else { return nil }
        var misses: [String] = []
        for playbook in profile.playbooks where playbook.applies(to: category, severity) {
            guard let miss = missingEntity(playbook, cfp) else { return nil }
            misses.append(miss)
        }
        return misses.isEmpty ? nil : misses.joined(separator: "; ")
    }

    /// The first parameter of `playbook` the incident cannot fill, as a sentence naming the
    /// playbook and the entity, e.g. "contain-brute-force needs entity `user`
    /// (rotate_credentials.user)"; nil when every parameter can be filled.
    static func missingEntity(_ playbook: Playbook, _ cfp: WireCallForProposals) -> String? {
        for step in playbook.steps {
            for parameter in step.parameters where value(for: parameter, in: cfp) == nil {
                return "\(playbook.name) needs entity `\(parameter.type.rawValue)` (\(step.action).\(parameter.name))"
            }
        }
        return nil
    }

    /// The plan for one playbook, or why not (`missingEntity`).
    static func fill(_ playbook: Playbook, from cfp: WireCallForProposals) -> Result<WirePlan, MissingEntity> {
        var plan = WirePlan()
        plan.playbook = playbook.name
        for step in playbook.steps {
            var wireStep = WirePlanStep()
            wireStep.action = step.action
            wireStep.risk = step.risk.name
            wireStep.undo = step.undo
            for parameter in step.parameters {
                guard let value = value(for: parameter, in: cfp) else {
                    return .failure(MissingEntity(missingEntity(playbook, cfp) ?? playbook.name))
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

    struct MissingEntity: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
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
