import TenderCore

/// Everything a coordinator process is configured with.
public struct CoordinatorConfig: Sendable {
    /// Where specialists connect.
    public var specialistHost = "127.0.0.1"
    public var specialistPort = 7400
    /// The engine's knobs (reply window, retries, CFP sample size).
    public var engine = EngineConfig()
    /// Heartbeats are sent this often; a peer silent for `heartbeatTimeout` is declared dead.
    public var heartbeatInterval = 1.0
    public var heartbeatTimeout = 3.5
    /// A connection must finish the handshake within this many seconds.
    public var handshakeTimeout = 5.0
    /// Incidents accepted but not concluded (waiting for the store, in auction, in backlog).
    /// Past this, intake answers "overloaded" and the sender retries: memory stays bounded.
    public var maxOpenIncidents = 50_000
    /// The adaptive limit on incidents in flight (AIMD on CFP→award latency, see
    /// `AdmissionLimit`); past it intake answers "overloaded" too. `target` 0 turns it off.
    public var admission = AdmissionLimit.Settings()
    /// Longest a graceful shutdown waits for in-flight auctions to settle.
    public var drainTimeout = 30.0
    /// After a restart, how long unfinished incidents wait for the pool to reconnect before they
    /// are re-auctioned (the first specialist to join ends the wait).
    public var recoveryGrace = 5.0
    /// Largest frame payload accepted from a specialist, and sent to one.
    public var maxFrameSize = 64 * 1024
    /// What one incident may hold; intake refuses the rest, naming the field.
    public var incidentLimits = IncidentLimits.standard
    /// Connections per listener and the intake idle timeout.
    public var connections = ConnectionLimits()

    public init() {}
}
