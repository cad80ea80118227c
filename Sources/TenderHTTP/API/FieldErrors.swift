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
