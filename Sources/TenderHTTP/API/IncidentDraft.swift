import Foundation
import TenderCore

/// An incident as a client submits it to `POST /v1/incidents`, validated field by field.
///
/// `{"category":"security","severity":"high","service":"api","region":"eu-west-1",
///   "entities":[{"type":"ip","value":"203.0.113.7"}],"ref":"ticket-42"}`; only `category` is
/// required (severity defaults to medium). Unknown fields are refused, so a typo is not silently
/// dropped.
public struct IncidentDraft: Sendable, Hashable {
    public var category: IncidentCategory
    public var severity: Severity
    public var service: String
    public var region: String
    public var entities: [Entity]
    public var reference: String?

    public init(category: IncidentCategory, severity: Severity = .medium, service: String = "", region: String = "", entities: [Entity] = [], reference: String? = nil) {
        self.category = category
        self.severity = severity
        self.service = service
        self.region = region
        self.entities = entities
        self.reference = reference
    }

    static let fields: Set<String> = ["category", "severity", "service", "region", "entities", "ref"]
    static let entityTypes = ["ip", "host", "service", "user", "query"]
    /// Longest accepted string field, so one incident cannot carry megabytes of text.
    static let maxTextBytes = 256
    static let maxEntities = 64

    /// Parse a body holding one incident object or an array of them (a batch, at most `maxBatch`).
    static func parseBody(_ body: [UInt8], maxBatch: Int) -> Result<[IncidentDraft], FieldErrors> {
        guard !body.isEmpty else { return .failure(FieldErrors("body", "is empty: send an incident object or an array of them")) }
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: Data(body), options: [])
        } catch {
            return .failure(FieldErrors("body", "is not valid JSON"))
        }
        if let object = json as? [String: Any] {
            return parse(object, path: "").map { [$0] }
        }
        guard let list = json as? [Any] else { return .failure(FieldErrors("body", "must be an incident object or an array of them")) }
        guard !list.isEmpty else { return .failure(FieldErrors("body", "is an empty array")) }
        guard list.count <= maxBatch else { return .failure(FieldErrors("body", "has \(list.count) incidents; at most \(maxBatch) per request")) }
        var drafts: [IncidentDraft] = []
        var errors = FieldErrors()
        for (index, item) in list.enumerated() {
            guard let object = item as? [String: Any] else {
                errors.add("[\(index)]", "must be an object")
                continue
            }
            switch parse(object, path: "[\(index)].") {
            case .success(let draft): drafts.append(draft)
            case .failure(let more): errors.errors += more.errors
            }
        }
        return errors.isEmpty ? .success(drafts) : .failure(errors)
    }

    static func parse(_ object: [String: Any], path: String) -> Result<IncidentDraft, FieldErrors> {
        var errors = FieldErrors()
        for key in object.keys.sorted() where !fields.contains(key) {
            errors.add(path + key, "is not a field (expected \(fields.sorted().joined(separator: ", ")))")
        }
        var category: IncidentCategory?
        switch object["category"] {
        case nil: errors.add(path + "category", "is required: one of \(IncidentCategory.allCases.map(\.name).joined(separator: ", "))")
        case let name as String:
            category = IncidentCategory(name: name)
            if category == nil { errors.add(path + "category", "`\(name)` is not one of \(IncidentCategory.allCases.map(\.name).joined(separator: ", "))") }
        default: errors.add(path + "category", "must be a string")
        }
        var severity = Severity.medium
        switch object["severity"] {
        case nil: break
        case let name as String:
            if let parsed = Severity(name: name) { severity = parsed } else { errors.add(path + "severity", "`\(name)` is not one of \(Severity.allCases.map(\.name).joined(separator: ", "))") }
        default: errors.add(path + "severity", "must be a string")
        }
        func text(_ key: String) -> String? {
            switch object[key] {
            case nil: return nil
            case let value as String:
                if value.utf8.count > maxTextBytes { errors.add(path + key, "is longer than \(maxTextBytes) bytes") }
                return value
            default:
                errors.add(path + key, "must be a string")
                return nil
            }
        }
        let service = text("service") ?? ""
        let region = text("region") ?? ""
        let reference = text("ref")
        let entities = parseEntities(object["entities"], path: path + "entities", errors: &errors)
        guard errors.isEmpty, let category else { return .failure(errors) }
        return .success(IncidentDraft(category: category, severity: severity, service: service, region: region, entities: entities, reference: reference))
    }

    private static func parseEntities(_ value: Any?, path: String, errors: inout FieldErrors) -> [Entity] {
        guard let value else { return [] }
        guard let list = value as? [Any] else {
            errors.add(path, "must be an array of {\"type\", \"value\"} objects")
            return []
        }
        guard list.count <= maxEntities else {
            errors.add(path, "has \(list.count) entities; at most \(maxEntities)")
            return []
        }
        var entities: [Entity] = []
        for (index, item) in list.enumerated() {
            let here = "\(path)[\(index)]"
            guard let object = item as? [String: Any], let type = object["type"] as? String, let text = object["value"] as? String, object.count == 2 else {
                errors.add(here, "must be an object with exactly a string `type` and a string `value`")
                continue
            }
            guard text.utf8.count <= maxTextBytes, !text.isEmpty else {
                errors.add(here + ".value", "must be 1 to \(maxTextBytes) bytes")
                continue
            }
            switch type {
            case "ip": entities.append(.ip(text))
            case "host": entities.append(.host(text))
            case "service": entities.append(.service(text))
            case "user": entities.append(.user(text))
            case "query": entities.append(.query(text))
            default: errors.add(here + ".type", "`\(type)` is not one of \(entityTypes.joined(separator: ", "))")
            }
        }
        return entities
    }
}

/// Per-field validation messages: the body of a 400.
public struct FieldErrors: Error, Sendable, Hashable, Codable {
    public struct FieldError: Sendable, Hashable, Codable {
        public var field: String
        public var message: String
    }

    public var errors: [FieldError] = []

    public init() {}
    public init(_ field: String, _ message: String) { add(field, message) }

    public mutating func add(_ field: String, _ message: String) {
        errors.append(FieldError(field: field, message: message))
    }

    public var isEmpty: Bool { errors.isEmpty }
}
