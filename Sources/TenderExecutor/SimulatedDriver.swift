import Foundation
import TenderCore
import TenderConfig

/// The default driver for demos and `make run`: runs nothing, but takes as long and fails as
/// often as the specialist's profile says (its service-time and failure models), from a seeded
/// generator, so a run is reproducible. Time passes through `schedule`, which the live shell
/// wires to a libuv timer and tests to a manual clock.
public final class SimulatedDriver: StepDriver {
    private var random: SeededGenerator
    private let profiles: [String: SpecialistProfile]
    private let schedule: (_ afterSeconds: Double, _ body: @escaping () -> Void) -> Void
    /// The incident category and severity of each execution's incident, and who runs it.
    private var context: [Int64: (category: IncidentCategory, severity: Severity, specialist: String, steps: Int)] = [:]
    /// Runs whose time has not come, so `stop` can end one early (its timer then finds nothing).
    private var pending: [StepInvocation: (StepExit) -> Void] = [:]

    public init(profiles: [SpecialistProfile], seed: UInt64, schedule: @escaping (_ afterSeconds: Double, _ body: @escaping () -> Void) -> Void) {
        random = SeededGenerator(seed: seed)
        self.profiles = Dictionary(profiles.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.schedule = schedule
    }

    /// Tell the driver which incident an execution is for (before its first step).
    public func register(execution: Int64, category: IncidentCategory, severity: Severity, specialist: String, steps: Int) {
        context[execution] = (category, severity, specialist, max(steps, 1))
    }

    public func forget(execution: Int64) { context[execution] = nil }

    public func run(_ invocation: StepInvocation, completion: @escaping (StepExit) -> Void) {
        guard let known = context[invocation.execution], let profile = profiles[known.specialist] else {
            completion(.succeeded(output: "simulated: \(describe(invocation))"))
            return
        }
        // The profile's service time is for the whole plan; each step takes its share.
        let total = profile.service.distribution(for: known.category, known.severity).sample(&random)
        let duration = total / Double(known.steps)
        // Undos are taken as reliable; a step fails with the profile's odds, spread over its steps.
        let planFailure = profile.failure.probability(skill: profile.skills[known.category])
        let stepFailure = 1 - pow(1 - planFailure, 1 / Double(known.steps))
        let fails = invocation.phase == .apply && random.nextUnit() < stepFailure
        pending[invocation] = completion
        if duration > invocation.timeoutSeconds {
            schedule(invocation.timeoutSeconds) { [weak self] in
                self?.pending.removeValue(forKey: invocation)?(.timedOut(output: "simulated: no answer in \(invocation.timeoutSeconds) s"))
            }
            return
        }
        schedule(duration) { [weak self, description = describe(invocation)] in
            self?.pending.removeValue(forKey: invocation)?(fails ? .failed(status: 1, output: "simulated failure: \(description)") : .succeeded(output: "simulated: \(description)"))
        }
    }

    /// End a simulated run at once, as a program stopped by SIGTERM would (exit 143).
    public func stop(_ invocation: StepInvocation) {
        pending.removeValue(forKey: invocation)?(.failed(status: 128 + 15, output: "simulated: stopped, the execution was cancelled"))
    }

    public func describe(_ invocation: StepInvocation) -> String {
        let arguments = invocation.parameters.map { "\($0.name)=\($0.value)" }.joined(separator: " ")
        return "\(invocation.action) \(arguments)".trimmingCharacters(in: .whitespaces)
    }
}
