import TenderConfig
import TenderCore
import TenderWire

/// How one specialist agent runs.
public struct SpecialistAgentConfig: Sendable {
    public var profile: SpecialistProfile
    /// The instance name the coordinator knows it by (stable across reconnects).
    public var name: String
    public var policy: any BiddingPolicy
    public var host = "127.0.0.1"
    public var port = 7400
    public var key: PreSharedKey
    /// Wall seconds per scenario second: multiplies attempt times drawn from the profile (0.01:
    /// a 7-minute attempt takes 4 s; 0 answers at once). The policy still observes and bids in
    /// scenario seconds; the ETA sent is scaled back to wall seconds.
    public var timeScale = 1.0
    /// Multiplies the profile's failure probability (0 never fails).
    public var failureScale = 1.0
    /// Overrides the profile's capacity (benchmarks).
    public var capacity: Int?
    /// Fault injection for tests and demos: answer every CFP this many seconds late.
    public var replyDelay = 0.0
    public var seed: UInt64 = 1
    /// Rollback after a failed analysis takes this fraction of its time (the simulator's default).
    public var rollbackFactor = 0.5
    /// Incidents per second (this process's clock) considered a normal load, against which the
    /// agent measures `stormIntensity` from the first-round calls it receives; 0 keeps it at 1.
    public var nominalRate = 0.0
    /// Reconnect backoff: first wait, doubled per failure up to the maximum.
    public var reconnectInitial = 0.1
    public var reconnectMaximum = 5.0

    public init(profile: SpecialistProfile, name: String, policy: any BiddingPolicy, key: PreSharedKey) {
        self.profile = profile
        self.name = name
        self.policy = policy
        self.key = key
    }

    var effectiveCapacity: Int { capacity ?? profile.capacity }

    /// The shared work model for this agent: the profile at this capacity, time and failure scale.
    public var workModel: SpecialistWorkModel {
        SpecialistWorkModel(
            kind: profile.kind, skills: profile.skills, capacity: effectiveCapacity, service: profile.service,
            failure: profile.failure, rollbackFactor: rollbackFactor, timeScale: timeScale, failureScale: failureScale
        )
    }
}

/// What an agent reports to its process (for stdout event lines and tests).
public enum SpecialistEvent: Sendable {
    case connected(id: UInt32)
    case disconnected(reason: String)
    /// The coordinator refused the handshake; retrying would not help.
    case refused(reason: String)
    case awarded(incident: UInt64)
    case rejected(incident: UInt64, reason: String)
    case completed(incident: UInt64, playbook: String)
    case failed(incident: UInt64, reason: String)
}
