import TenderCore

/// A parameter whose value has been checked against its declared type.
public struct TypedParameter: Sendable, Hashable, Codable {
    public var name: String
    public var type: ParameterType
    public var value: String

    public init(name: String, type: ParameterType, value: String) {
        self.name = name
        self.type = type
        self.value = value
    }
}

/// One step the executor may run: its action, its undo, the risk its playbook declares (not the
/// one the plan claims), and how the driver treats it.
public struct ValidatedStep: Sendable, Hashable, Codable {
    public var action: String
    public var undo: String
    public var risk: RiskLevel
    public var parameters: [TypedParameter]
    /// Safe to run twice: may be retried, and resumed after a crash.
    public var idempotent: Bool
    /// Whether its undo may run twice (resumed after a crash mid-undo).
    public var undoIdempotent: Bool
    /// Extra attempts after a failure (idempotent steps only).
    public var retries: Int
    /// Extra attempts of the undo after a failure (idempotent undos only).
    public var undoRetries: Int
    public var timeoutSeconds: Double
    public var undoTimeoutSeconds: Double

    public init(action: String, undo: String, risk: RiskLevel, parameters: [TypedParameter], idempotent: Bool = false,
                undoIdempotent: Bool = true, retries: Int = 0, undoRetries: Int = 0, timeoutSeconds: Double = 60, undoTimeoutSeconds: Double = 60) {
        self.action = action
        self.undo = undo
        self.risk = risk
        self.parameters = parameters
        self.idempotent = idempotent
        self.undoIdempotent = undoIdempotent
        self.retries = retries
        self.undoRetries = undoRetries
        self.timeoutSeconds = timeoutSeconds
        self.undoTimeoutSeconds = undoTimeoutSeconds
    }

    /// `noop` undoes nothing: the step changed nothing.
    public var hasUndo: Bool { undo != "noop" }
}

/// A plan that passed `PlanValidator`: what the execution machine runs and the store records.
public struct ValidatedPlan: Sendable, Hashable, Codable {
    public var incident: IncidentID
    public var specialist: String
    public var playbook: String
    public var steps: [ValidatedStep]

    public init(incident: IncidentID, specialist: String, playbook: String, steps: [ValidatedStep]) {
        self.incident = incident
        self.specialist = specialist
        self.playbook = playbook
        self.steps = steps
    }
}

/// How the driver runs an action: from the actions file (command driver) or defaults (simulated).
public struct StepPolicy: Sendable, Hashable {
    public var idempotent: Bool
    public var retries: Int
    public var timeoutSeconds: Double

    public init(idempotent: Bool, retries: Int, timeoutSeconds: Double) {
        self.idempotent = idempotent
        self.retries = retries
        self.timeoutSeconds = timeoutSeconds
    }

    /// What the simulated driver assumes: not idempotent, no retries, a minute.
    public static let conservative = StepPolicy(idempotent: false, retries: 0, timeoutSeconds: 60)
}
