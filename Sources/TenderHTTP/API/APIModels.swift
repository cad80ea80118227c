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

/// Everything that happened to one incident, oldest first.
public struct IncidentTimeline: Codable, Sendable, Hashable {
    public var incident: IncidentSummary
    public var events: [TimelineEvent]
    public init(incident: IncidentSummary, events: [TimelineEvent]) {
        self.incident = incident
        self.events = events
    }
}

public struct TimelineEvent: Codable, Sendable, Hashable {
    public var at: Double
    /// received, announced, bid, refused, awarded, approval_requested, approved, denied,
    /// step_started, step_succeeded, step_failed, rolled_back, resolved, failed, escalated, ...
    public var kind: String
    public var specialist: String?
    public var detail: String
    public init(at: Double, kind: String, specialist: String? = nil, detail: String) {
        self.at = at
        self.kind = kind
        self.specialist = specialist
        self.detail = detail
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
    public var bids: [BidSummary]
    public init(incidentId: UInt64, round: Int, category: IncidentCategory, at: Double, winner: String?, reason: String, bids: [BidSummary]) {
        self.incidentId = incidentId
        self.round = round
        self.category = category.name
        self.at = at
        self.winner = winner
        self.reason = reason
        self.bids = bids
    }
}

public struct BidSummary: Codable, Sendable, Hashable {
    public enum Outcome: String, Codable, Sendable { case won, lost, refused, late }
    public var specialist: String
    public var outcome: Outcome
    /// Promised seconds to resolve; absent for a refusal.
    public var etaSeconds: Double?
    public var confidence: Double?
    /// The award rule's score (lower wins); absent for a refusal.
    public var score: Double?
    public var refusal: String?
    public init(specialist: String, outcome: Outcome, etaSeconds: Double? = nil, confidence: Double? = nil, score: Double? = nil, refusal: String? = nil) {
        self.specialist = specialist
        self.outcome = outcome
        self.etaSeconds = etaSeconds
        self.confidence = confidence
        self.score = score
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
    public init(incidentId: UInt64, specialist: String, state: State, startedAt: Double, steps: [ExecutionStep]) {
        self.incidentId = incidentId
        self.specialist = specialist
        self.state = state
        self.startedAt = startedAt
        self.steps = steps
    }
}

public struct ExecutionStep: Codable, Sendable, Hashable {
    public enum State: String, Codable, Sendable { case pending, running, succeeded, failed, rolledBack = "rolled_back", skipped }
    public var name: String
    public var state: State
    /// What undoes it, when it can be undone.
    public var undo: String?
    public init(name: String, state: State, undo: String? = nil) {
        self.name = name
        self.state = state
        self.undo = undo
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
