/// One parsed HTTP request: method, decoded path and query, headers (names lowercased) and body.
public struct HTTPRequest: Sendable {
    public var method: String
    /// The request target as sent (path and query, still percent-encoded).
    public var target: String
    /// The path, percent-decoded, without the query.
    public var path: String
    /// Query parameters, percent-decoded; a repeated name keeps its last value.
    public var query: [String: String]
    /// Header lines in order, names lowercased.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// False when the client asked to close after this request (or spoke HTTP/1.0 without keep-alive).
    public var keepAlive: Bool

    public init(method: String, target: String, headers: [(name: String, value: String)] = [], body: [UInt8] = [], keepAlive: Bool = true) {
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
        self.keepAlive = keepAlive
        let (path, query) = Self.split(target: target)
        self.path = path
        self.query = query
    }

    /// The first header with this (lowercase) name.
    public func header(_ name: String) -> String? {
        headers.first { $0.name == name }?.value
    }

    static func split(target: String) -> (path: String, query: [String: String]) {
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let path = percentDecoded(String(parts.first ?? ""), plusIsSpace: false) ?? String(parts.first ?? "")
        var query: [String: String] = [:]
        if parts.count == 2 {
            for pair in parts[1].split(separator: "&") where !pair.isEmpty {
                let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = percentDecoded(String(kv[0]), plusIsSpace: true) ?? String(kv[0])
                let value = kv.count == 2 ? (percentDecoded(String(kv[1]), plusIsSpace: true) ?? String(kv[1])) : ""
                query[name] = value
            }
        }
        return (path, query)
    }

    /// Decode %XX escapes (and `+` in queries); nil when an escape is malformed or not UTF-8.
    static func percentDecoded(_ text: String, plusIsSpace: Bool) -> String? {
        guard text.contains("%") || (plusIsSpace && text.contains("+")) else { return text }
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
                bytes.append(high << 4 | low)
            case UInt8(ascii: "+") where plusIsSpace:
                bytes.append(UInt8(ascii: " "))
            default:
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
