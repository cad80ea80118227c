/// How risky a remediation step is; higher risk steps may need approval before they run.
public enum RiskLevel: Int, CaseIterable, Sendable, Hashable, Comparable, Codable {
    case none = 0, low, medium, high

    public var name: String {
        switch self {
        case .none: "none"
        case .low: "low"
        case .medium: "medium"
        case .high: "high"
        }
    }

    public init?(name: String) {
        guard let match = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = match
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The type of a step parameter. Entity-typed parameters are filled from the incident's
/// entities; the others take their declared default. Values are validated against the type,
/// never interpolated into a shell.
public enum ParameterType: String, CaseIterable, Sendable, Hashable, Codable {
    case ip, host, service, user, query, region
    case count, seconds, percent

    /// Whether the value comes from an incident entity (as opposed to a number).
    public var isEntity: Bool {
        switch self {
        case .ip, .host, .service, .user, .query, .region: true
        case .count, .seconds, .percent: false
        }
    }
}

/// A named, typed parameter of a remediation step.
public struct StepParameter: Sendable, Hashable, Codable {
    public var name: String
    public var type: ParameterType
    /// Default for numeric parameters (and a fallback for entity ones).
    public var defaultValue: String?

    public init(name: String, type: ParameterType, defaultValue: String? = nil) {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
    }
}

/// One remediation action and the action that undoes it.
public struct RemediationStep: Sendable, Hashable, Codable {
    public var action: String
    public var parameters: [StepParameter]
    public var risk: RiskLevel
    /// The action that reverses this one; `noop` for steps that change nothing.
    public var undo: String

    public init(action: String, parameters: [StepParameter], risk: RiskLevel, undo: String) {
        self.action = action
        self.parameters = parameters
        self.risk = risk
        self.undo = undo
    }
}

/// A named sequence of remediation steps for some categories of incident.
public struct Playbook: Sendable, Hashable, Codable {
    public var name: String
    public var categories: [IncidentCategory]
    /// Severities it applies to; empty means all.
    public var severities: [Severity]
    public var steps: [RemediationStep]

    public init(name: String, categories: [IncidentCategory], severities: [Severity] = [], steps: [RemediationStep]) {
        self.name = name
        self.categories = categories
        self.severities = severities
        self.steps = steps
    }

    public func applies(to category: IncidentCategory, _ severity: Severity) -> Bool {
        categories.contains(category) && (severities.isEmpty || severities.contains(severity))
    }
}
