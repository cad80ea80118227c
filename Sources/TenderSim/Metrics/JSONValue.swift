import Foundation

/// A JSON value built at run time, for outputs whose shape follows the data (metrics with
/// confidence intervals, per-allocator tables). Object keys keep their insertion order.
public indirect enum JSONValue: Encodable, Sendable {
    case number(Double)
    case integer(Int)
    case string(String)
    case bool(Bool)
    case array([JSONValue])
    case object([(String, JSONValue)])
    case null

    public func encode(to encoder: Encoder) throws {
        switch self {
        case .number(let value):
            var container = encoder.singleValueContainer()
            if value.isFinite { try container.encode(value) } else { try container.encodeNil() }
        case .integer(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .string(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .bool(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case .array(let values):
            var container = encoder.unkeyedContainer()
            for value in values { try container.encode(value) }
        case .object(let pairs):
            var container = encoder.container(keyedBy: Key.self)
            for (key, value) in pairs { try container.encode(value, forKey: Key(key)) }
        }
    }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Any Encodable value, as its JSON tree (through JSONSerialization).
    public static func from<T: Encodable>(_ value: T) throws -> JSONValue {
        let data = try JSONEncoder().encode(value)
        return convert(try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]))
    }

    static func convert(_ any: Any) -> JSONValue {
        switch any {
        case let number as NSNumber:
            // Summaries hold no booleans, so every NSNumber is a number.
            let double = number.doubleValue
            return double == double.rounded() && abs(double) < 1e15 && !"\(number)".contains(".") ? .integer(number.intValue) : .number(double)
        case let string as String: return .string(string)
        case let array as [Any]: return .array(array.map(convert))
        case let dictionary as [String: Any]: return .object(dictionary.keys.sorted().map { ($0, convert(dictionary[$0]!)) })
        default: return .null
        }
    }

    public subscript(key: String) -> JSONValue? {
        guard case .object(let pairs) = self else { return nil }
        return pairs.first { $0.0 == key }?.1
    }

    public var double: Double? {
        switch self {
        case .number(let value): value
        case .integer(let value): Double(value)
        default: nil
        }
    }
}
