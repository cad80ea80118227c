#if canImport(Glibc)
import Glibc
#endif
import TenderCore

/// Checks one parameter value against its declared type. Values end up as argv elements and in
/// environment-free logs, never in a shell; still, each type admits only what such a value looks
/// like, and no value may start with `-` (it would read as an option to the program).
public enum ParameterValidation {
    /// Why `value` is not a valid `type`, or nil if it is.
    public static func problem(_ value: String, as type: ParameterType) -> String? {
        if value.isEmpty { return "is empty" }
        if value.hasPrefix("-") && !type.isNumeric { return "starts with `-`, which a program would read as an option" }
        if value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) { return "contains a control character" }
        switch type {
        case .ip:
            return isIPAddress(value) ? nil : "is not an IPv4 or IPv6 address"
        case .host:
            return isHostname(value) || isIPAddress(value) ? nil : "is not a hostname (letters, digits, `-` in dot-separated labels of at most 63)"
        case .service:
            return matches(value, first: lowerAlnum, rest: lowerAlnum + "-_.", max: 63) ? nil : "is not a service name (lowercase letters, digits, `-`, `_`, `.`; at most 63)"
        case .user:
            return matches(value, first: alnum + "_", rest: alnum + "_.-@", max: 64) ? nil : "is not a user name (letters, digits, `_`, `.`, `-`, `@`; at most 64)"
        case .region:
            return matches(value, first: lowerAlnum, rest: lowerAlnum + "-", max: 32) ? nil : "is not a region (lowercase letters, digits and `-`, such as eu-west-1)"
        case .query:
            // A query fingerprint or id: printable, bounded; never parsed, only passed along.
            return value.utf8.count <= 256 ? nil : "is longer than 256 bytes"
        case .count:
            guard let number = Int(value) else { return "is not a whole number" }
            return (0...1_000_000).contains(number) ? nil : "is \(number), expected 0 to 1000000"
        case .seconds:
            guard let number = Double(value), number.isFinite else { return "is not a number of seconds" }
            return (0...604_800).contains(number) ? nil : "is \(value), expected 0 to 604800 seconds (a week)"
        case .percent:
            guard let number = Double(value), number.isFinite else { return "is not a percentage" }
            return (0...100).contains(number) ? nil : "is \(value), expected 0 to 100"
        }
    }

    private static let lowerAlnum = "abcdefghijklmnopqrstuvwxyz0123456789"
    private static let alnum = lowerAlnum + "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

    private static func matches(_ value: String, first: String, rest: String, max: Int) -> Bool {
        guard value.utf8.count <= max, let head = value.first, first.contains(head) else { return false }
        return value.dropFirst().allSatisfy { rest.contains($0) }
    }

    static func isIPAddress(_ value: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, value, &v4) == 1 || inet_pton(AF_INET6, value, &v6) == 1
    }

    /// RFC 1123: dot-separated labels of letters, digits and inner hyphens, 253 bytes at most.
    static func isHostname(_ value: String) -> Bool {
        guard value.utf8.count <= 253 else { return false }
        let labels = value.split(separator: ".", omittingEmptySubsequences: false)
        return labels.allSatisfy { label in
            !label.isEmpty && label.count <= 63 && label.first != "-" && label.last != "-"
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }
    }
}

extension ParameterType {
    var isNumeric: Bool { !isEntity }
}
