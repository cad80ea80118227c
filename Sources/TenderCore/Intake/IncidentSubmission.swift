import Foundation

/// An incident as a sender submits it, before the coordinator gives it an id and a time.
///
/// JSON form (one object per line):
/// `{"category":"security","severity":"high","service":"api","region":"eu-west-1",
///   "entities":[{"type":"ip","value":"203.0.113.7"}],"ref":"ticket-42"}`
/// `entities` may also be an object: `{"ip":"203.0.113.7","user":["alice","bob"]}`.
/// Unknown fields are refused, so a typo (`"severity "`, `"entity"`) is an error naming the field
/// instead of a silently different incident.
public struct IncidentSubmission: Sendable, Hashable {
    public var category: IncidentCategory
    public var severity: Severity
    public var service: String
    public var region: String
    public var entities: [Entity]
    /// The sender's idempotency key: echoed in the reply, stored with the incident, and unique:
    /// a second submission with the same `ref` creates nothing and is answered with the first's id.
    public var reference: String?

    public init(category: IncidentCategory, severity: Severity, service: String = "", region: String = "", entities: [Entity] = [], reference: String? = nil) {
        self.category = category
        self.severity = severity
        self.service = service
        self.region = region
        self.entities = entities
        self.reference = reference
    }

    /// The JSON line form, as `tender submit` and the storm feeder send it.
    public var jsonLine: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding strings and arrays of strings cannot fail.
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}

extension IncidentSubmission: Codable {
    public enum Field: String, CodingKey, CaseIterable {
        case category, severity, service, region, entities, ref
    }

    public init(from decoder: Decoder) throws {
        let fields = try decoder.container(keyedBy: AnyKey.self)
        // Read first, so that every error about this line can still carry the sender's ref.
        let reference = (try? fields.string(Field.ref.rawValue)) ?? nil
        do {
            _ = try fields.string(Field.ref.rawValue)
            try Self.refuseUnknown(fields, known: Field.allCases.map(\.rawValue), prefix: "")
            let categoryName = try fields.string(Field.category.rawValue)
            guard let categoryName else {
                throw IntakeError(field: "category", "is required: one of \(IncidentCategory.allCases.map(\.name).joined(separator: ", "))")
            }
            guard let category = IncidentCategory(name: categoryName) else {
                throw IntakeError(field: "category", "`\(categoryName)` is not one of \(IncidentCategory.allCases.map(\.name).joined(separator: ", "))")
            }
            let severityName = try fields.string(Field.severity.rawValue) ?? "medium"
            guard let severity = Severity(name: severityName) else {
                throw IntakeError(field: "severity", "`\(severityName)` is not one of \(Severity.allCases.map(\.name).joined(separator: ", "))")
            }
            self.init(
                category: category, severity: severity,
                service: try fields.string(Field.service.rawValue) ?? "",
                region: try fields.string(Field.region.rawValue) ?? "",
                entities: try Self.entities(in: fields),
                reference: reference
            )
        } catch var error as IntakeError {
            error.reference = reference
            throw error
        }
    }

    private static func entities(in fields: KeyedDecodingContainer<AnyKey>) throws -> [Entity] {
        let key = AnyKey(Field.entities.rawValue)
        guard fields.contains(key), (try? fields.decodeNil(forKey: key)) != true else { return [] }
        let kinds = "(ip, host, service, user, query)"
        if var list = try? fields.nestedUnkeyedContainer(forKey: key) {
            var entities: [Entity] = []
            while !list.isAtEnd {
                let index = entities.count
                guard let item = try? list.nestedContainer(keyedBy: AnyKey.self) else {
                    throw IntakeError(field: "entities[\(index)]", "must be an object {\"type\", \"value\"}")
                }
                try refuseUnknown(item, known: ["type", "value"], prefix: "entities[\(index)].")
                guard let type = try item.string("type", field: "entities[\(index)].type") else {
                    throw IntakeError(field: "entities[\(index)].type", "is required: one of \(kinds)")
                }
                guard let value = try item.string("value", field: "entities[\(index)].value") else {
                    throw IntakeError(field: "entities[\(index)].value", "is required: a string")
                }
                guard let entity = Entity(type: type, value: value) else {
                    throw IntakeError(field: "entities[\(index)].type", "`\(type)` is not an entity type \(kinds)")
                }
                entities.append(entity)
            }
            return entities
        }
        guard let map = try? fields.nestedContainer(keyedBy: AnyKey.self, forKey: key) else {
            throw IntakeError(field: "entities", "must be a list of {type, value} or an object")
        }
        var entities: [Entity] = []
        for type in map.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) {
            let field = "entities.\(type.stringValue)"
            let values: [String]
            if let one = try? map.decode(String.self, forKey: type) {
                values = [one]
            } else if let many = try? map.decode([String].self, forKey: type) {
                values = many
            } else {
                throw IntakeError(field: field, "must be a string or a list of strings")
            }
            for value in values {
                guard let entity = Entity(type: type.stringValue, value: value) else {
                    throw IntakeError(field: field, "`\(type.stringValue)` is not an entity type \(kinds)")
                }
                entities.append(entity)
            }
        }
        return entities
    }

    public static func refuseUnknown(_ fields: KeyedDecodingContainer<AnyKey>, known: [String], prefix: String) throws {
        if let unknown = fields.allKeys.map(\.stringValue).sorted().first(where: { !known.contains($0) }) {
            throw IntakeError(field: prefix + unknown, "is not a field of an incident; known: \(known.joined(separator: ", "))")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var fields = encoder.container(keyedBy: Field.self)
        try fields.encode(category.name, forKey: .category)
        try fields.encode(severity.name, forKey: .severity)
        try fields.encode(service, forKey: .service)
        try fields.encode(region, forKey: .region)
        try fields.encode(entities.map { ["type": $0.typeName, "value": $0.value] }, forKey: .entities)
        try fields.encodeIfPresent(reference, forKey: .ref)
    }
}

/// A coding key for any field name: lets decoding see (and refuse) fields it does not know.
public struct AnyKey: CodingKey, Hashable {
    public var stringValue: String
    public var intValue: Int? { nil }
    public init(_ name: String) { stringValue = name }
    public init?(stringValue: String) { self.stringValue = stringValue }
    public init?(intValue: Int) { nil }
}

extension KeyedDecodingContainer where Key == AnyKey {
    /// The string at `name`; nil when absent or null; an error naming the field for any other type.
    public func string(_ name: String, field: String? = nil) throws -> String? {
        let key = AnyKey(name)
        guard contains(key), (try? decodeNil(forKey: key)) != true else { return nil }
        guard let value = try? decode(String.self, forKey: key) else {
            throw IntakeError(field: field ?? name, "must be a string")
        }
        return value
    }
}

extension Entity {
    /// An entity from its JSON/wire form; nil if `type` is not one of ip, host, service, user, query.
    public init?(type: String, value: String) {
        switch type {
        case "ip": self = .ip(value)
        case "host": self = .host(value)
        case "service": self = .service(value)
        case "user": self = .user(value)
        case "query": self = .query(value)
        default: return nil
        }
    }

    /// Its type as the JSON and wire forms name it.
    public var typeName: String {
        switch self {
        case .ip: "ip"
        case .host: "host"
        case .service: "service"
        case .user: "user"
        case .query: "query"
        }
    }
}
