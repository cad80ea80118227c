/// Identifies an incident for its whole life, across every auction round it goes through.
public struct IncidentID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var rawValue: UInt64
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { "INC-\(rawValue)" }
}

/// Something observed in an incident that a remediation step can act on.
public enum Entity: Hashable, Sendable, Codable {
    case ip(String)
    case host(String)
    case service(String)
    case user(String)
    case query(String)
}

/// A reported cloud incident, as intake accepts it.
public struct Incident: Sendable, Hashable, Codable {
    public var id: IncidentID
    public var category: IncidentCategory
    public var severity: Severity
    public var service: String
    public var region: String
    public var entities: [Entity]
    public var createdAt: Instant
    /// When the incident must be resolved by; defaults from the severity.
    public var slaDeadline: Instant

    public init(
        id: IncidentID, category: IncidentCategory, severity: Severity,
        service: String = "", region: String = "", entities: [Entity] = [],
        createdAt: Instant, slaDeadline: Instant? = nil
    ) {
        self.id = id
        self.category = category
        self.severity = severity
        self.service = service
        self.region = region
        self.entities = entities
        self.createdAt = createdAt
        self.slaDeadline = slaDeadline ?? createdAt + severity.defaultSLASeconds
    }

    /// The compact view the engine works with.
    public var ticket: IncidentTicket {
        IncidentTicket(id: id, category: category, severity: severity, createdAt: createdAt, slaDeadline: slaDeadline)
    }
}

/// The part of an incident the contract-net engine needs: small, trivially copyable, allocation-free.
public struct IncidentTicket: Sendable, Hashable {
    public var id: IncidentID
    public var category: IncidentCategory
    public var severity: Severity
    public var createdAt: Instant
    public var slaDeadline: Instant

    public init(id: IncidentID, category: IncidentCategory, severity: Severity, createdAt: Instant, slaDeadline: Instant? = nil) {
        self.id = id
        self.category = category
        self.severity = severity
        self.createdAt = createdAt
        self.slaDeadline = slaDeadline ?? createdAt + severity.defaultSLASeconds
    }
}
