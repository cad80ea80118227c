/// What kind of trouble an incident is. The raw value indexes per-category tables.
public enum IncidentCategory: Int, CaseIterable, Sendable, Hashable, Codable {
    case security = 0
    case performance = 1
    case network = 2
    case database = 3

    /// The lowercase name used in YAML, JSON and on the command line.
    public var name: String {
        switch self {
        case .security: "security"
        case .performance: "performance"
        case .network: "network"
        case .database: "database"
        }
    }

    public init?(name: String) {
        guard let match = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = match
    }
}

/// How bad an incident is. Lower raw value means more urgent, so it sorts first.
public enum Severity: Int, CaseIterable, Sendable, Hashable, Codable, Comparable {
    case critical = 0
    case high = 1
    case medium = 2
    case low = 3

    public var name: String {
        switch self {
        case .critical: "critical"
        case .high: "high"
        case .medium: "medium"
        case .low: "low"
        }
    }

    public init?(name: String) {
        guard let match = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = match
    }

    /// Default time from creation to the SLA deadline, in seconds.
    public var defaultSLASeconds: Double {
        switch self {
        case .critical: 15 * 60
        case .high: 60 * 60
        case .medium: 4 * 3600
        case .low: 24 * 3600
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A fixed table with one value per category; cheaper than a dictionary on hot paths.
public struct PerCategory<Value>: Sendable where Value: Sendable {
    public var security: Value
    public var performance: Value
    public var network: Value
    public var database: Value

    public init(repeating value: Value) {
        (security, performance, network, database) = (value, value, value, value)
    }

    public init(_ make: (IncidentCategory) -> Value) {
        security = make(.security)
        performance = make(.performance)
        network = make(.network)
        database = make(.database)
    }

    @inlinable
    public subscript(category: IncidentCategory) -> Value {
        get {
            switch category {
            case .security: security
            case .performance: performance
            case .network: network
            case .database: database
            }
        }
        // Yield the stored value in place: with a plain setter, `table[c].mutate()` copies the
        // value out and back, so a Heap or Array stored here was copied whole on every insert.
        _modify {
            switch category {
            case .security: yield &security
            case .performance: yield &performance
            case .network: yield &network
            case .database: yield &database
            }
        }
    }
}

extension PerCategory: Equatable where Value: Equatable {}
extension PerCategory: Hashable where Value: Hashable {}
