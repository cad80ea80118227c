import TenderCore

// The JSON shapes of the /v1 API. Property names are camelCase here and snake_case on the wire
// (`APIJSON` converts); times are Unix seconds; `docs/openapi.yaml` describes each one.

/// Where an incident is in its life.
public enum IncidentState: String, Codable, CaseIterable, Sendable {
    case queued, auctioning, awarded, awaitingApproval = "awaiting_approval", executing, resolved, failed, escalated, cancelled
}

/// One incident in a list.
public struct IncidentSummary: Codable, Sendable, Hashable {
    public var id: UInt64
    public var category: String
    public var severity: String
    public var state: IncidentState
    public var service: String
    public var region: String
    public var createdAt: Double
    /// The specialist currently or last awarded it.
    public var specialist: String?
    public var reference: String?

    public init(id: UInt64, category: IncidentCategory, severity: Severity, state: IncidentState, service: String = "", region: String = "", createdAt: Double, specialist: String? = nil, reference: String? = nil) {
        self.id = id
        self.category = category.name
        self.severity = severity.name
        self.state = state
        self.service = service
        self.region = region
        self.createdAt = createdAt
        self.specialist = specialist
        self.reference = reference
    }
}

/// A filter and a page of `GET /v1/incidents`.
public struct IncidentQuery: Sendable, Hashable {
    public var state: IncidentState?
    public var category: IncidentCategory?
    public var limit: Int
    /// Opaque: the `next_cursor` of the previous page.
    public var cursor: String?
    public init(state: IncidentState? = nil, category: IncidentCategory? = nil, limit: Int = 50, cursor: String? = nil) {
        self.state = state
        self.category = category
        self.limit = limit
        self.cursor = cursor
    }
}

public struct IncidentPage: Codable, Sendable, Hashable {
    public var incidents: [IncidentSummary]
    /// Pass as `cursor` for the next page; absent on the last page.
    public var nextCursor: String?
    public init(incidents: [IncidentSummary], nextCursor: String?) {
        self.incidents = incidents
        self.nextCursor = nextCursor
    }
}

/// A specialist as the coordinator sees it now.
public struct SpecialistStatus: Codable, Sendable, Hashable {
    public var name: String
    public var kind: String
    public var connected: Bool
    /// Incidents it holds now.
    public var load: Int
    public var capacity: Int
    /// load / capacity.
    public var utilisation: Double
    public var wins: Int
    /// Skill per category name, 0...1.
    public var skills: [String: Double]
    /// Capacity-weighted skill: the share of work it is expected to take.
    public var capability: Double
    /// Reputation in 0...1 when the coordinator tracks one.
    public var reputation: Double?
    /// Its track record over all categories (docs/ENGINE.md, "Reputation"); each is null until
    /// one of its awards has ended. Delivered ÷ promised time (1: keeps its word).
    public var calibration: Double?
    /// Share of its ended awards that succeeded (a moving average, recent ones weigh most).
    public var successRate: Double?
    /// Its awards that have ended (succeeded, failed, rolled back or abandoned).
    public var awardsConcluded: Int?

    public init(name: String, kind: String, connected: Bool, load: Int, capacity: Int, wins: Int, skills: PerCategory<Double>, capability: Double, reputation: Double? = nil) {
        self.name = name
        self.kind = kind
        self.connected = connected
        self.load = load
        self.capacity = capacity
        utilisation = capacity > 0 ? Double(load) / Double(capacity) : 0
        self.wins = wins
        self.skills = Dictionary(uniqueKeysWithValues: IncidentCategory.allCases.map { ($0.name, skills[$0]) })
        self.capability = capability
        self.reputation = reputation
    }

    /// Set the track record figures (null stays null without a record).
    public mutating func setTrackRecord(calibration: Double?, successRate: Double?, awardsConcluded: Int?) {
        self.calibration = calibration
        self.successRate = successRate
        self.awardsConcluded = awardsConcluded
    }

    /// As synthesised, except that the track record figures are written as `null` until they
    /// exist, so a client sees "no record yet" rather than a field that comes and goes.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(kind, forKey: .kind)
        try container.encode(connected, forKey: .connected)
        try container.encode(load, forKey: .load)
        try container.encode(capacity, forKey: .capacity)
        try container.encode(utilisation, forKey: .utilisation)
        try container.encode(wins, forKey: .wins)
        try container.encode(skills, forKey: .skills)
        try container.encode(capability, forKey: .capability)
        try container.encodeIfPresent(reputation, forKey: .reputation)
        try container.encode(calibration, forKey: .calibration)
        try container.encode(successRate, forKey: .successRate)
        try container.encode(awardsConcluded, forKey: .awardsConcluded)
    }
}

/// A remediation step waiting for (or given) a person's decision.
public struct ApprovalItem: Codable, Sendable, Hashable {
    public enum State: String, Codable, Sendable { case pending, approved, denied, expired }
    public var id: String
    public var incidentId: UInt64
    public var specialist: String
    public var step: String
    public var reason: String
    public var requestedAt: Double
    public var state: State
    public var decidedBy: String?
    public init(id: String, incidentId: UInt64, specialist: String, step: String, reason: String, requestedAt: Double, state: State = .pending, decidedBy: String? = nil) {
        self.id = id
        self.incidentId = incidentId
        self.specialist = specialist
        self.step = step
        self.reason = reason
        self.requestedAt = requestedAt
        self.state = state
        self.decidedBy = decidedBy
    }
}

public enum ApprovalDecision: String, Codable, Sendable { case approve, deny }

/// One auction as the dashboard shows it: every bid and why the winner won.
public struct AuctionSummary: Codable, Sendable, Hashable {
    public var incidentId: UInt64
    public var round: Int
    public var category: String
    public var at: Double
    public var winner: String?
    /// Why the winner won (or why nobody did), in words.
    public var reason: String
    /// The rule that separated the winner from the runner-up: only_bid, lowest_score,
    /// tie_lower_eta, tie_less_loaded, tie_fewer_awards, tie_lower_id; null without an award.
    public var decider: String?
    public var bids: [BidSummary]
    public init(incidentId: UInt64, round: Int, category: IncidentCategory, at: Double, winner: String?, reason: String, decider: String? = nil, bids: [BidSummary]) {
        self.incidentId = incidentId
        self.round = round
        self.category = category.name
        self.at = at
        self.winner = winner
        self.reason = reason
        self.decider = decider
        self.bids = bids
    }
}

public struct BidSummary: Codable, Sendable, Hashable {
    /// `no_capacity`: proposed, but its slots were full as the round closed, so not in the running.
    public enum Outcome: String, Codable, Sendable { case won, lost, refused, late, noCapacity = "no_capacity" }
    public var specialist: String
    public var outcome: Outcome
    /// Promised seconds to resolve; absent for a refusal.
    public var etaSeconds: Double?
    public var confidence: Double?
    /// The award rule's score (lower wins): `eta_seconds × correction + expected_failure_cost`;
    /// absent for a refusal, a late bid, or a round that awarded nobody.
    public var score: Double?
    /// The bidder's calibration the ETA was multiplied by (1: taken at its word).
    public var correction: Double?
    /// Seconds added for its odds of failure above the prior.
    public var expectedFailureCost: Double?
    public var refusal: String?
    public init(specialist: String, outcome: Outcome, etaSeconds: Double? = nil, confidence: Double? = nil, score: Double? = nil,
                correction: Double? = nil, expectedFailureCost: Double? = nil, refusal: String? = nil) {
        self.specialist = specialist
        self.outcome = outcome
        self.etaSeconds = etaSeconds
        self.confidence = confidence
        self.score = score
        self.correction = correction
        self.expectedFailureCost = expectedFailureCost
        self.refusal = refusal
    }
}

/// One remediation plan being (or having been) applied.
public struct ExecutionSummary: Codable, Sendable, Hashable {
    public enum State: String, Codable, Sendable { case running, awaitingApproval = "awaiting_approval", succeeded, failed, rolledBack = "rolled_back" }
    public var incidentId: UInt64
    public var specialist: String
    public var state: State
    public var startedAt: Double
    public var steps: [ExecutionStep]
    /// From the store's execution log (absent where the reader has none): its id, the playbook,
    /// whether it was a dry run, when it ended and why it failed.
    public var id: Int64?
    public var playbook: String?
    public var dryRun: Bool?
    public var finishedAt: Double?
    public var reason: String?
    public init(incidentId: UInt64, specialist: String, state: State, startedAt: Double, steps: [ExecutionStep],
                id: Int64? = nil, playbook: String? = nil, dryRun: Bool? = nil, finishedAt: Double? = nil, reason: String? = nil) {
        self.incidentId = incidentId
        self.specialist = specialist
        self.state = state
        self.startedAt = startedAt
        self.steps = steps
        self.id = id
        self.playbook = playbook
        self.dryRun = dryRun
        self.finishedAt = finishedAt
        self.reason = reason
    }
}

public struct ExecutionStep: Codable, Sendable, Hashable {
    public enum State: String, Codable, Sendable { case pending, running, succeeded, failed, rolledBack = "rolled_back", skipped }
    public var name: String
    public var state: State
    /// What undoes it, when it can be undone.
    public var undo: String?
    /// From the store's step log (absent where the reader has none): the typed parameters as
    /// JSON, and the last apply attempt's exit status and output.
    public var params: String?
    public var exitStatus: Int?
    public var output: String?
    public init(name: String, state: State, undo: String? = nil, params: String? = nil, exitStatus: Int? = nil, output: String? = nil) {
        self.name = name
        self.state = state
        self.undo = undo
        self.params = params
        self.exitStatus = exitStatus
        self.output = output
    }
}

/// `GET /readyz`: ready once specialists are connected and the store is open.
public struct Readiness: Codable, Sendable, Hashable {
    public var ready: Bool
    public var specialistsConnected: Int
    public var storeOpen: Bool
    /// Why not ready, one line each; empty when ready.
    public var reasons: [String]
    public init(specialistsConnected: Int, storeOpen: Bool) {
        self.specialistsConnected = specialistsConnected
        self.storeOpen = storeOpen
        var reasons: [String] = []
        if specialistsConnected == 0 { reasons.append("no specialist connected") }
        if !storeOpen { reasons.append("store not open") }
        self.reasons = reasons
        ready = reasons.isEmpty
    }
}
