/// Identifies a specialist to the engine. Drivers hand these out densely from zero.
public struct SpecialistID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var rawValue: UInt32
    public init(_ rawValue: UInt32) { self.rawValue = rawValue }
    public init(_ index: Int) { self.rawValue = UInt32(index) }
    public var index: Int { Int(rawValue) }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { "S\(rawValue)" }
}

/// The four specialist trades. A specialist's kind is its home category.
public enum SpecialistKind: String, CaseIterable, Sendable, Codable {
    case security, performance, network, database

    public var homeCategory: IncidentCategory {
        switch self {
        case .security: .security
        case .performance: .performance
        case .network: .network
        case .database: .database
        }
    }
}

/// What the engine knows of a specialist: who it is, what it can do, how much at once.
public struct SpecialistInfo: Sendable, Hashable {
    public var id: SpecialistID
    public var name: String
    public var kind: SpecialistKind
    /// Skill in [0, 1] per category; 0 means it cannot take that category at all.
    public var skills: PerCategory<Double>
    /// Concurrent tasks it accepts.
    public var capacity: Int

    public init(id: SpecialistID, name: String, kind: SpecialistKind, skills: PerCategory<Double>, capacity: Int) {
        self.id = id
        self.name = name
        self.kind = kind
        self.skills = skills
        self.capacity = capacity
    }

    /// A single number for how much work this specialist can absorb: capacity times mean skill.
    /// Fairness normalises load by each specialist's share of this.
    public var capability: Double {
        let total = IncidentCategory.allCases.reduce(0.0) { $0 + skills[$1] }
        return Double(capacity) * total / Double(IncidentCategory.allCases.count)
    }
}
