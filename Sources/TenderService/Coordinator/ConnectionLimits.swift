/// How many connections each listener takes, and how long an intake connection may idle.
///
/// Both listeners share the process's file descriptors. Intake clients are anonymous and cheap to
/// open, so they must never be able to take the descriptors specialists need: the intake limit is
/// fitted below the descriptor budget with `specialistReserve` left over, and connections still
/// in the handshake (unauthenticated) are capped separately. Pure: tested without sockets.
public struct ConnectionLimits: Sendable, Hashable {
    /// Most intake connections open at once.
    public var maxIntakeConnections = 1024
    /// Most specialist connections open at once (sessions and handshakes together).
    public var maxSpecialistConnections = 8192
    /// Most specialist connections still in the handshake; the rest wait for one to finish.
    public var maxHandshaking = 128
    /// Descriptors kept for specialists that intake may never use.
    public var specialistReserve = 128
    /// Descriptors the process needs for itself (loop, store, stdio, logs).
    public var processBaseline = 32
    /// An intake connection that sent nothing, is not watching and awaits no reply for this many
    /// seconds is closed. 0 turns the timeout off.
    public var intakeIdleTimeout = 60.0

    public init() {}

    /// Which listener a connection arrived on.
    public enum Listener: String, Sendable {
        case intake, specialist
    }

    /// What to do with a connection that just arrived.
    public enum Decision: Sendable, Hashable {
        case accept
        /// Close it at once; the reason is logged (rate-limited) and sent to intake clients.
        case refuse(String)
    }

    /// These limits fitted into a process allowed `descriptorLimit` open descriptors: intake gets
    /// at most what is left after the baseline and the specialists' reserve (at least 1).
    public func fitted(toDescriptorLimit descriptorLimit: Int) -> ConnectionLimits {
        var fitted = self
        let usable = max(1, descriptorLimit - processBaseline)
        fitted.maxSpecialistConnections = min(maxSpecialistConnections, usable)
        fitted.maxIntakeConnections = max(1, min(maxIntakeConnections, usable - specialistReserve))
        return fitted
    }

    /// Whether a new connection on `listener` is taken, given what is open now.
    public func admit(_ listener: Listener, open: Int, handshaking: Int = 0) -> Decision {
        switch listener {
        case .intake:
            open < maxIntakeConnections ? .accept : .refuse("too many intake connections (limit \(maxIntakeConnections))")
        case .specialist:
            if open >= maxSpecialistConnections { .refuse("too many specialist connections (limit \(maxSpecialistConnections))") }
            else if handshaking >= maxHandshaking { .refuse("too many connections in the handshake (limit \(maxHandshaking))") }
            else { .accept }
        }
    }

    /// Whether an intake connection last active at `lastActivity` is idle at `now`. A watcher or
    /// a connection still owed a reply is never idle: it is waiting for the coordinator.
    public func intakeIsIdle(lastActivity: Double, now: Double, watching: Bool, awaitingReplies: Int) -> Bool {
        guard intakeIdleTimeout > 0, !watching, awaitingReplies == 0 else { return false }
        return now - lastActivity >= intakeIdleTimeout
    }
}
