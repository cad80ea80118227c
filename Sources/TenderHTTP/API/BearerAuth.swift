import Foundation

/// Bearer-token authentication: writes always need the token when one is configured; reads need
/// it only when `protectReads` is set. Compared in constant time so response timing does not
/// reveal how much of a guess was right.
public struct BearerAuth: Sendable {
    private let token: [UInt8]?
    public let protectReads: Bool

    /// No token: every request is allowed (a server bound to loopback for a demo).
    public init(token: String?, protectReads: Bool = false) {
        self.token = token.map { Array($0.utf8) }
        self.protectReads = protectReads
    }

    /// Read the token from a file (surrounding whitespace and the final newline are not part of it).
    public static func loading(tokenFile path: String, protectReads: Bool) throws -> BearerAuth {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AuthConfigError(message: "\(path): cannot read the API token file")
        }
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw AuthConfigError(message: "\(path):1: the API token file is empty; expected one line holding the token") }
        return BearerAuth(token: token, protectReads: protectReads)
    }

    public var isEnabled: Bool { token != nil }

    /// True when the request may proceed.
    func allows(_ request: HTTPRequest, isWrite: Bool) -> Bool {
        guard let token, isWrite || protectReads else { return true }
        guard let header = request.header("authorization") else { return false }
        let prefix = "bearer "
        guard header.count > prefix.count, header.prefix(prefix.count).lowercased() == prefix else { return false }
        return Self.constantTimeEqual(Array(header.utf8.dropFirst(prefix.count)), token)
    }

    /// Equal length and equal bytes, touching every byte of the longer input whatever matches.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        if a.count != b.count { difference |= 1 }
        let length = max(a.count, b.count)
        for index in 0..<length {
            let x = index < a.count ? a[index] : 0
            let y = index < b.count ? b[index] : 0
            difference |= x ^ y
        }
        return difference == 0
    }
}

/// The token file could not be used.
public struct AuthConfigError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
