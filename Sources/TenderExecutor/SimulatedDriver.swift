import TenderCore

/// The default driver for demos and `make run`: runs nothing, and adds neither time nor failures
/// of its own. The specialist that wrote the plan already spent the attempt's whole modelled
/// course before reporting it: its service time drawn by `SpecialistWorkModel`, and on a
/// failed draw the rollback too, reported as a failure instead of a plan. That is exactly how
/// the simulator models an attempt (its execution outcome follows the report at once), so a
/// live incident takes as long and fails as often as in the storms the policies were trained
/// on. Drawing a second duration and failure here modelled the work twice.
///
/// `faultRate` injects faults on top of that model, for drills of the rollback path: each
/// applied step fails with that probability (seeded, so a drill is reproducible). Time passes
/// through `schedule`, which the live shell wires to a libuv timer and tests to a manual clock,
/// so a step still completes asynchronously, as a program would.
public final class SimulatedDriver: StepDriver {
    private var random: SeededGenerator
    private let faultRate: Double
    private let schedule: (_ afterSeconds: Double, _ body: @escaping () -> Void) -> Void
    /// Runs not yet completed, so `stop` can end one early (its timer then finds nothing).
    private var pending: [StepInvocation: (StepExit) -> Void] = [:]

    /// - Parameter faultRate: probability that an applied step fails (0, the default: never).
    public init(seed: UInt64, faultRate: Double = 0, schedule: @escaping (_ afterSeconds: Double, _ body: @escaping () -> Void) -> Void) {
        random = SeededGenerator(seed: seed)
        self.faultRate = min(max(faultRate, 0), 1)
        self.schedule = schedule
    }

    public func run(_ invocation: StepInvocation, completion: @escaping (StepExit) -> Void) {
        // Undos are taken as reliable; only applied steps can be made to fail.
        let fails = invocation.phase == .apply && faultRate > 0 && random.nextUnit() < faultRate
        pending[invocation] = completion
        schedule(0) { [weak self, description = describe(invocation)] in
            self?.pending.removeValue(forKey: invocation)?(fails ? .failed(status: 1, output: "simulated fault: \(description)") : .succeeded(output: "simulated: \(description)"))
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
