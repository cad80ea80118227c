import Foundation

/// One incident's whole story from the store, the system of record: `GET /v1/incidents/{id}`
/// answers with it and `tender show --json` prints it, both through `encoded()`, so the two are
/// the same bytes. Times are wall-clock Unix seconds.
public struct IncidentTimeline: Codable, Sendable, Hashable {
    public var incident: IncidentSummary
    /// What the incident named (`type`: ip, host, service, user, query), as intake took it.
    public var entities: [TimelineEntity]
    /// Everything that happened, oldest first (ties in the order recorded).
    public var events: [TimelineEvent]
    /// Each round, oldest first: every answer, and for an award each proposal's raw bid,
    /// calibration correction, expected failure cost and score, and why the winner won.
    public var auctions: [AuctionSummary]
    /// Each execution of a winning plan, oldest first, with its steps.
    public var executions: [ExecutionSummary]

    public init(incident: IncidentSummary, entities: [TimelineEntity] = [], events: [TimelineEvent], auctions: [AuctionSummary] = [], executions: [ExecutionSummary] = []) {
        self.incident = incident
        self.entities = entities
        self.events = events
        self.auctions = auctions
        self.executions = executions
    }

    /// The JSON every reader gets: the API's encoder (snake_case, sorted keys, compact).
    public func encoded() throws -> Data {
        try APIJSON.encoder.encode(self)
    }
}

/// One thing that happened to an incident.
public struct TimelineEvent: Codable, Sendable, Hashable {
    public var at: Double
    /// received, announced, bid, refused, awarded, execution_started, step_intent,
    /// step_succeeded, step_failed, rolled_back, execution_finished, approval_requested, approved,
    /// denied, timed_out, superseded, page, audit, resolved, escalated, cancelled.
    public var kind: String
    public var specialist: String?
    /// The event in words, complete on its own (what `tender show` prints).
    public var detail: String
    public init(at: Double, kind: String, specialist: String? = nil, detail: String) {
        self.at = at
        self.kind = kind
        self.specialist = specialist
        self.detail = detail
    }
}

/// One entity of an incident.
public struct TimelineEntity: Codable, Sendable, Hashable {
    public var type: String
    public var value: String
    public init(type: String, value: String) {
        self.type = type
        self.value = value
    }
}
