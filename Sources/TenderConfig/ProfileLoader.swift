import TenderCore

/// Reads and validates specialist profiles, reporting every problem with its file and line.
public enum ProfileLoader {
    static let fields = ["name", "kind", "capacity", "skills", "service", "severity_factor", "failure", "playbooks"]

    public static func load(path: String) throws -> SpecialistProfile {
        try parse(ConfigNode.load(path: path))
    }

    public static func parse(_ root: ConfigNode) throws -> SpecialistProfile {
        let diagnostics = Diagnostics()
        diagnostics.attempt { try root.rejectUnknownKeys(fields) }
        let name = diagnostics.attempt { try root.required("name", expected: "the specialist's name").string() }
        let kind = diagnostics.attempt {
            try root.required("kind", expected: "one of \(kindNames)").oneOf("specialist kind", SpecialistKind.allCases.map(\.rawValue), SpecialistKind.init(rawValue:))
        }
        let capacity = diagnostics.attempt { try root.required("capacity", expected: "concurrent tasks, a whole number").int(in: 1...10_000) }
        let skills = diagnostics.attempt { try readSkills(root.required("skills", expected: "a skill from 0 to 1 per category")) }
        let service = diagnostics.attempt { try readService(root, diagnostics) }
        let failure = diagnostics.attempt { try readFailure(root.optional("failure")) }
        let playbooks = diagnostics.attempt {
            try root.required("playbooks", expected: "a list of playbooks").list().compactMap { node in
                diagnostics.attempt { try PlaybookReader.read(node) }
            }
        }
        try diagnostics.check()
        guard let name, let kind, let capacity, let skills, let service, let failure, let playbooks else {
            throw ConfigErrors([root.error("is incomplete")])
        }
        return SpecialistProfile(
            name: name, kind: kind, skills: skills, capacity: capacity, service: service,
            failure: failure ?? FailureModel(base: 0.02, slope: 0.3), playbooks: playbooks, source: root.file
        )
    }

    static let kindNames = SpecialistKind.allCases.map(\.rawValue).joined(separator: ", ")
    static let categoryNames = IncidentCategory.allCases.map(\.name)

    static func category(_ key: String, at node: ConfigNode) throws -> IncidentCategory {
        guard let category = IncidentCategory(name: key) else {
            throw node.error("`\(key)` in \(node.path.split(separator: ".").dropLast().joined(separator: ".")) is an unknown category; expected one of: \(categoryNames.joined(separator: ", "))")
        }
        return category
    }

    /// Skills: categories not listed are 0 (cannot handle).
    static func readSkills(_ node: ConfigNode) throws -> PerCategory<Double> {
        var skills = PerCategory(repeating: 0.0)
        for (key, value) in try node.entries() {
            skills[try category(key, at: value)] = try value.double(in: 0...1)
        }
        return skills
    }

    static func readService(_ root: ConfigNode, _ diagnostics: Diagnostics) throws -> ServiceTimeModel {
        let node = try root.required("service", expected: "a service-time distribution per category")
        var base = PerCategory<ServiceDistribution?>(repeating: nil)
        for (key, value) in try node.entries() {
            base[try category(key, at: value)] = diagnostics.attempt { try DistributionReader.read(value) }
        }
        var factors: [Severity: Double] = [:]
        if let severityNode = try root.optional("severity_factor") {
            for (key, value) in try severityNode.entries() {
                guard let severity = Severity(name: key) else {
                    throw value.error("`\(key)` in severity_factor is an unknown severity; expected one of: \(Severity.allCases.map(\.name).joined(separator: ", "))")
                }
                factors[severity] = try value.double(in: 0.01...100)
            }
        }
        // A category without its own model borrows the slowest listed one: a specialist outside its
        // trade is not faster than inside it.
        let listed = IncidentCategory.allCases.compactMap { base[$0] }
        guard let slowest = listed.max(by: { $0.mean < $1.mean }) else {
            throw node.error("service lists no category, expected a distribution for at least one of: \(categoryNames.joined(separator: ", "))")
        }
        return ServiceTimeModel(base: PerCategory { base[$0] ?? slowest }, severityFactor: factors)
    }

    static func readFailure(_ node: ConfigNode?) throws -> FailureModel? {
        guard let node else { return nil }
        try node.rejectUnknownKeys(["base", "slope"])
        return FailureModel(
            base: try node.required("base", expected: "the failure probability at full skill, 0 to 1").double(in: 0...1),
            slope: try node.optional("slope")?.double(in: 0...1) ?? 0
        )
    }
}

/// Reads `{distribution: exponential|lognormal|deterministic, mean, sigma}`.
public enum DistributionReader {
    public static let names = ["exponential", "lognormal", "deterministic"]

    public static func read(_ node: ConfigNode) throws -> ServiceDistribution {
        try node.rejectUnknownKeys(["distribution", "mean", "sigma"])
        let shape = try node.required("distribution", expected: "one of \(names.joined(separator: ", "))")
            .oneOf("distribution", names) { names.contains($0) ? $0 : nil }
        let mean = try node.required("mean", expected: "the mean in seconds").double(in: 0.000_001...1e9)
        switch shape {
        case "exponential":
            return .exponential(mean: mean)
        case "lognormal":
            let sigma = try node.required("sigma", expected: "the log-space standard deviation, for lognormal").double(in: 0.001...5)
            return .lognormal(mean: mean, sigma: sigma)
        default:
            return .deterministic(mean)
        }
    }
}
