import Foundation
import TenderCore

/// An incident as a sender submits it, before the coordinator gives it an id and a time.
///
/// JSON form (one object per line):
/// `{"category":"security","severity":"high","service":"api","region":"eu-west-1",
///   "entities":[{"type":"ip","value":"203.0.113.7"}],"ref":"ticket-42"}`
/// `entities` may also be an object: `{"ip":"203.0.113.7","user":["alice","bob"]}`.
public struct IncidentSubmission: Sendable, Hashable {
    public var category: IncidentCategory
    public var severity: Severity
    public var service: String
    public var region: String
    public var entities: [Entity]
    /// The sender's own reference, echoed in the reply so it can match answers to lines.
    public var reference: String?

    public init(category: IncidentCategory, severity: Severity, service: String = "", region: String = "", entities: [Entity] = [], reference: String? = nil) {
        self.category = category
        self.severity = severity
        self.service = service
        self.region = region
        self.entities = entities
        self.reference = reference
    }

    /// Parse one JSON line; the error names the field that is wrong.
    public static func parse(jsonLine line: String) -> Result<IncidentSubmission, IntakeError> {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
            return .failure(IntakeError(field: nil, "not a JSON object"))
        }
        return parse(object)
    }

    static func parse(_ object: [String: Any]) -> Result<IncidentSubmission, IntakeError> {
        let reference = object["ref"].map { "\($0)" }
        func fail(_ field: String, _ message: String) -> Result<IncidentSubmission, IntakeError> {
            .failure(IntakeError(field: field, message, reference: reference))
        }
        guard let categoryName = object["category"] as? String else { return fail("category", "is required: one of \(IncidentCategory.allCases.map(\.name).joined(separator: ", "))") }
        guard let category = IncidentCategory(name: categoryName) else { return fail("category", "`\(categoryName)` is not one of \(IncidentCategory.allCases.map(\.name).joined(separator: ", "))") }
        let severityName = object["severity"] as? String ?? "medium"
        guard let severity = Severity(name: severityName) else { return fail("severity", "`\(severityName)` is not one of \(Severity.allCases.map(\.name).joined(separator: ", "))") }
        var entities: [Entity] = []
        switch object["entities"] {
        case nil:
            break
        case let list as [[String: Any]]:
            for item in list {
                guard let type = item["type"] as? String, let value = item["value"] as? String,
                      let entity = WireMapping.entity(type: type, value: value)
                else { return fail("entities", "each entity needs a `type` (ip, host, service, user, query) and a string `value`") }
                entities.append(entity)
            }
        case let map as [String: Any]:
            for (type, raw) in map.sorted(by: { $0.key < $1.key }) {
                let values = (raw as? [String]) ?? (raw as? String).map { [$0] }
                guard let values else { return fail("entities.\(type)", "must be a string or a list of strings") }
                for value in values {
                    guard let entity = WireMapping.entity(type: type, value: value) else { return fail("entities.\(type)", "`\(type)` is not an entity type (ip, host, service, user, query)") }
                    entities.append(entity)
                }
            }
        default:
            return fail("entities", "must be a list of {type, value} or an object")
        }
        return .success(IncidentSubmission(
            category: category, severity: severity,
            service: object["service"] as? String ?? "", region: object["region"] as? String ?? "",
            entities: entities, reference: reference
        ))
    }

    /// The JSON line form, as `tender submit` and the storm feeder send it.
    public var jsonLine: String {
        var object: [String: Any] = ["category": category.name, "severity": severity.name, "service": service, "region": region]
        object["entities"] = entities.map { entity -> [String: String] in
            let wire = WireMapping.entity(entity)
            return ["type": wire.type, "value": wire.value]
        }
        if let reference { object["ref"] = reference }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

/// Why intake did not take a line.
public struct IntakeError: Error, Sendable, Hashable, CustomStringConvertible {
    public var field: String?
    public var message: String
    public var reference: String?

    public init(field: String?, _ message: String, reference: String? = nil) {
        self.field = field
        self.message = message
        self.reference = reference
    }

    public var description: String { field.map { "\($0): \(message)" } ?? message }
}

/// The one answer every submitted line gets.
public enum IntakeReply: Sendable, Hashable {
    /// Durable and in auction.
    case accepted(IncidentID, reference: String?)
    /// Not taken; `retryable` means the same line may succeed later (overload, store trouble).
    case rejected(String, reference: String?, retryable: Bool)

    public var jsonLine: String {
        var object: [String: Any]
        switch self {
        case .accepted(let id, let reference):
            object = ["ok": true, "id": id.rawValue]
            if let reference { object["ref"] = reference }
        case .rejected(let reason, let reference, let retryable):
            object = ["ok": false, "error": reason, "retry": retryable]
            if let reference { object["ref"] = reference }
        }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
