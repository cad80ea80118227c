import TenderCore

/// One run of a step (or of its undo), as a driver sees it.
public struct StepInvocation: Sendable, Hashable {
    public var incident: IncidentID
    public var execution: Int64
    /// 0-based; `TENDER_STEP` is this plus one.
    public var step: Int
    public var phase: StepPhase
    public var attempt: Int
    /// The action to run: the step's action when applying, its undo when undoing.
    public var action: String
    public var parameters: [TypedParameter]
    public var timeoutSeconds: Double

    public init(incident: IncidentID, execution: Int64, step: Int, phase: StepPhase, attempt: Int, action: String, parameters: [TypedParameter], timeoutSeconds: Double) {
        self.incident = incident
        self.execution = execution
        self.step = step
        self.phase = phase
        self.attempt = attempt
        self.action = action
        self.parameters = parameters
        self.timeoutSeconds = timeoutSeconds
    }

    /// The environment a step's program gets (besides nothing else: no inherited secrets).
    public var environment: [String: String] {
        [
            "TENDER_INCIDENT": incident.description,
            "TENDER_EXECUTION": String(execution),
            "TENDER_STEP": String(step + 1),
            "TENDER_ACTION": action,
            "TENDER_PHASE": phase.rawValue,
        ]
    }
}

/// Runs steps. Calls and completions happen on the loop thread.
public protocol StepDriver: AnyObject {
    /// Run `invocation`; call `completion` exactly once with how it ended.
    func run(_ invocation: StepInvocation, completion: @escaping (StepExit) -> Void)
    /// What running it would do, for `--dry-run` and logs.
    func describe(_ invocation: StepInvocation) -> String
    /// Stop `invocation` if it is still running (its execution was cancelled); its completion
    /// still runs once, soon, with how it ended. A driver that cannot stop lets it finish.
    func stop(_ invocation: StepInvocation)
}

extension StepDriver {
    public func stop(_ invocation: StepInvocation) {}
}

/// `--dry-run`: runs nothing, reports success with what would have run.
public final class DryRunDriver: StepDriver {
    private let inner: StepDriver

    public init(describing inner: StepDriver) { self.inner = inner }

    public func run(_ invocation: StepInvocation, completion: @escaping (StepExit) -> Void) {
        completion(.succeeded(output: "dry run, not run: " + inner.describe(invocation)))
    }

    public func describe(_ invocation: StepInvocation) -> String { inner.describe(invocation) }
}
