import Crypto
import Foundation

/// The key coordinator and specialists share. It authenticates both sides by HMAC
/// challenge–response and never crosses the wire.
public struct PreSharedKey: Sendable {
    /// Raw key bytes; wrapped in a `SymmetricKey` only while computing a MAC.
    let bytes: [UInt8]

    /// Keys shorter than this are refused: an HMAC key should be at least as long as a guessable
    /// passphrase is not.
    public static let minimumLength = 16

    public init(bytes: [UInt8]) throws(KeyError) {
        guard bytes.count >= Self.minimumLength else { throw .tooShort(bytes.count) }
        self.bytes = bytes
    }

    /// Read a key file: its contents, less trailing newlines, are the key.
    public init(file path: String) throws(KeyError) {
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path) }
        var bytes = [UInt8](data)
        while let last = bytes.last, last == 0x0A || last == 0x0D { bytes.removeLast() }
        do {
            try self.init(bytes: bytes)
        } catch {
            throw .tooShortInFile(path, bytes.count)
        }
    }

    /// The well-known key used when no `--key-file` is given: for local demos only, and the
    /// processes say so when they start.
    public static let development = try! PreSharedKey(bytes: Array("tender-development-key-not-secret".utf8))

    public enum KeyError: Error, Sendable, CustomStringConvertible {
        case unreadable(String)
        case tooShort(Int)
        case tooShortInFile(String, Int)

        public var description: String {
            switch self {
            case .unreadable(let path): "\(path): cannot read the key file"
            case .tooShort(let count): "key is \(count) bytes; at least \(PreSharedKey.minimumLength) are required"
            case .tooShortInFile(let path, let count): "\(path): key is \(count) bytes; at least \(PreSharedKey.minimumLength) are required"
            }
        }
    }
}

/// The two MACs of the handshake, computed the same way on both sides.
public enum HandshakeMAC {
    static let clientLabel = Array("tender/1 client".utf8)
    static let serverLabel = Array("tender/1 server".utf8)

    /// What the specialist proves: HMAC-SHA256(key, "tender/1 client" ‖ server_nonce ‖ client_nonce ‖ name).
    public static func client(_ key: PreSharedKey, serverNonce: [UInt8], clientNonce: [UInt8], name: String) -> [UInt8] {
        mac(key, clientLabel + serverNonce + clientNonce + Array(name.utf8))
    }

    /// What the coordinator proves back: HMAC-SHA256(key, "tender/1 server" ‖ client_nonce ‖ server_nonce).
    public static func server(_ key: PreSharedKey, serverNonce: [UInt8], clientNonce: [UInt8]) -> [UInt8] {
        mac(key, serverLabel + clientNonce + serverNonce)
    }

    static func mac(_ key: PreSharedKey, _ message: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key.bytes)))
    }

    /// Constant-time comparison, so timing does not leak how much of a MAC matched.
    static func equal(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices { difference |= lhs[index] ^ rhs[index] }
        return difference == 0
    }

    /// 32 fresh random bytes.
    public static func nonce() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<WireHandshake.nonceSize).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}
