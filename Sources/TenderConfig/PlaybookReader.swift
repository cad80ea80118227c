import TenderCore

/// Reads one playbook and its steps, insisting that every step has a typed parameter list, a risk
/// level and an undo, because the executor writes the undo down before it runs the step.
enum PlaybookReader {
    static func read(_ node: ConfigNode) throws -> Playbook {
        try node.rejectUnknownKeys(["name", "categories", "severities", "steps"])
        let name = try node.required("name", expected: "the playbook's name").string()
        let categories = try node.required("categories", expected: "a list of categories").list().map { item in
            try item.oneOf("category", ProfileLoader.categoryNames, IncidentCategory.init(name:))
        }
        let severities = try node.optional("severities")?.list().map { item in
            try item.oneOf("severity", Severity.allCases.map(\.name), Severity.init(name:))
        } ?? []
        let steps = try node.required("steps", expected: "a list of remediation steps").list().map(readStep)
        guard !steps.isEmpty else { throw node.error("\(node.path).steps is empty, expected at least one step") }
        return Playbook(name: name, categories: categories, severities: severities, steps: steps)
    }

    static func readStep(_ node: ConfigNode) throws -> RemediationStep {
        try node.rejectUnknownKeys(["action", "params", "risk", "undo"])
        let action = try identifier(node.required("action", expected: "the step's action name, such as block_ip"))
        let undo = try identifier(node.required("undo", expected: "the action that reverses this step (or `noop` for a read-only step)"))
        let risk = try node.required("risk", expected: "one of none, low, medium, high")
            .oneOf("risk level", RiskLevel.allCases.map(\.name), RiskLevel.init(name:))
        let parameters = try node.optional("params")?.entries().map(readParameter) ?? []
        return RemediationStep(action: action, parameters: parameters, risk: risk, undo: undo)
    }

    /// `name: type` or `name: {type: seconds, default: 300}`.
    static func readParameter(_ name: String, _ node: ConfigNode) throws -> StepParameter {
        let types = ParameterType.allCases.map(\.rawValue)
        if node.node.scalar != nil {
            return StepParameter(name: name, type: try node.oneOf("parameter type", types, ParameterType.init(rawValue:)))
        }
        try node.rejectUnknownKeys(["type", "default"])
        let type = try node.required("type", expected: "one of \(types.joined(separator: ", "))").oneOf("parameter type", types, ParameterType.init(rawValue:))
        let defaultNode = try node.optional("default")
        let value = try defaultNode?.string()
        if let defaultNode, let value, !type.isEntity, Double(value) == nil {
            throw defaultNode.error("\(defaultNode.path) is `\(value)`, expected a number for a \(type.rawValue) parameter")
        }
        if !type.isEntity, value == nil {
            throw node.error("\(node.path) has no `default`, expected one for a numeric (\(type.rawValue)) parameter")
        }
        return StepParameter(name: name, type: type, defaultValue: value)
    }

    /// Action names go into argv and logs: keep them to lowercase letters, digits and underscores.
    static func identifier(_ node: ConfigNode) throws -> String {
        let text = try node.string()
        let valid = !text.isEmpty && text.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }
        guard valid else { throw node.error("\(node.path) is `\(text)`, expected a lowercase name like block_ip") }
        return text
    }
}
