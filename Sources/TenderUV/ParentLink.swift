import CLibUV
#if canImport(Glibc)
import Glibc
#endif

/// Ties a supervised child process's life to its supervisor's: when `tender pool` or `tender up`
/// dies, even by `kill -9`, its specialists get SIGTERM and exit instead of being re-parented and
/// serving on (a restarted pool would otherwise double them).
///
/// The supervisor puts its pid in the child's environment (`environment(forChildOf:)`); the child
/// calls `bind()` first thing. On Linux that asks the kernel for SIGTERM when the parent goes
/// (`PR_SET_PDEATHSIG`), then compares `getppid()` with the pid it was given, which closes the
/// race of a parent that died between the spawn and the `prctl`.
///
/// The kernel sends the signal when the *thread* that spawned the child exits; supervisors spawn
/// from their loop thread, which lives as long as the process.
public enum ParentLink {
    /// The environment variable that carries the supervisor's pid.
    public static let variable = "TENDER_PARENT_PID"

    /// What `bind()` found.
    public enum Outcome: Equatable, Sendable {
        /// Not started by a supervisor (no variable): nothing to do.
        case unsupervised
        /// The child will get SIGTERM when its parent dies.
        case bound(parent: Int32)
        /// The parent is already gone (the child was re-parented): the child should exit now.
        case orphaned(expected: Int32, actual: Int32)
    }

    /// The environment for a child of this process: the current one, plus this process's pid.
    public static func environment(_ base: [String: String]) -> [String] {
        var environment = base
        environment[variable] = String(getpid())
        return environment.map { "\($0.key)=\($0.value)" }.sorted()
    }

    /// Ask to die with the parent named in the environment; see `Outcome`.
    public static func bind(environment: [String: String]) -> Outcome {
        guard let text = environment[variable], let expected = Int32(text), expected > 1 else { return .unsupervised }
        #if os(Linux)
        _ = tender_set_parent_death_signal(SIGTERM)
        #endif
        // After the prctl: if the parent died before it, we were already re-parented and the
        // kernel will never send the signal, so look.
        let actual = getppid()
        return actual == expected ? .bound(parent: expected) : .orphaned(expected: expected, actual: actual)
    }
}
