/// Constants of the handshake.
public enum WireHandshake {
    /// The protocol version this build speaks; a peer with another version is refused.
    public static let protocolVersion: UInt32 = 1
    public static let nonceSize = 32
    /// The `Goodbye` reason of a session closed because a newer one took its name: its process
    /// should stop, not reconnect (PROTOCOL.md §2.1).
    public static let replacedReason = "replaced by a newer session with the same name"
}

/// The coordinator's side of the handshake, as a state machine without I/O: feed it the frames
/// a new connection sends, and send what it returns.
///
/// Hello → Challenge, Authenticate → Welcome (or Goodbye and close on any mismatch).
public struct ServerHandshake: Sendable {
    public enum Step: Sendable {
        /// Send this and wait for the next frame.
        case reply(WireEnvelope)
        /// Authenticated: send `welcome` once a specialist id is filled in, and open the session.
        case established(name: String, description: WireSpecialistDescription, held: [WireAuctionRef], welcome: WireWelcome)
        /// Send a Goodbye with this reason and close.
        case refuse(String)
    }

    private enum State: Sendable { case awaitingHello, awaitingAuthenticate(name: String, clientNonce: [UInt8]), finished }

    private let key: PreSharedKey
    private let serverNonce: [UInt8]
    private var state = State.awaitingHello

    public init(key: PreSharedKey, serverNonce: [UInt8] = HandshakeMAC.nonce()) {
        self.key = key
        self.serverNonce = serverNonce
    }

    public mutating func receive(_ envelope: WireEnvelope) -> Step {
        switch (state, envelope.body) {
        case (.awaitingHello, .hello(let hello)):
            guard hello.protocolVersion == WireHandshake.protocolVersion else {
                state = .finished
                return .refuse("unsupported protocol version \(hello.protocolVersion); this coordinator speaks \(WireHandshake.protocolVersion)")
            }
            guard hello.clientNonce.count == WireHandshake.nonceSize else {
                state = .finished
                return .refuse("client nonce must be \(WireHandshake.nonceSize) bytes")
            }
            state = .awaitingAuthenticate(name: hello.name, clientNonce: [UInt8](hello.clientNonce))
            var challenge = WireChallenge()
            challenge.protocolVersion = WireHandshake.protocolVersion
            challenge.serverNonce = .init(serverNonce)
            return .reply(.with { $0.challenge = challenge })

        case (.awaitingAuthenticate(let name, let clientNonce), .authenticate(let authenticate)):
            state = .finished
            let expected = HandshakeMAC.client(key, serverNonce: serverNonce, clientNonce: clientNonce, name: name)
            guard HandshakeMAC.equal(expected, [UInt8](authenticate.mac)) else {
                return .refuse("authentication failed")
            }
            var welcome = WireWelcome()
            welcome.serverMac = .init(HandshakeMAC.server(key, serverNonce: serverNonce, clientNonce: clientNonce))
            return .established(name: name, description: authenticate.description_p, held: authenticate.held, welcome: welcome)

        default:
            state = .finished
            return .refuse("unexpected message during handshake")
        }
    }
}

/// The specialist's side of the handshake, as a state machine without I/O.
public struct ClientHandshake: Sendable {
    public enum Step: Sendable {
        case reply(WireEnvelope)
        /// The coordinator proved the key and opened the session.
        case established(WireWelcome)
        /// The coordinator refused (reason from its Goodbye) or failed to prove the key.
        case failed(String)
    }

    private let key: PreSharedKey
    private let name: String
    private let clientNonce: [UInt8]
    private let description: WireSpecialistDescription
    private let held: [WireAuctionRef]
    private var serverNonce: [UInt8]?

    public init(key: PreSharedKey, name: String, description: WireSpecialistDescription, held: [WireAuctionRef] = [], clientNonce: [UInt8] = HandshakeMAC.nonce()) {
        self.key = key
        self.name = name
        self.description = description
        self.held = held
        self.clientNonce = clientNonce
    }

    /// The first frame to send.
    public func hello() -> WireEnvelope {
        var hello = WireHello()
        hello.protocolVersion = WireHandshake.protocolVersion
        hello.name = name
        hello.clientNonce = .init(clientNonce)
        return .with { $0.hello = hello }
    }

    public mutating func receive(_ envelope: WireEnvelope) -> Step {
        switch envelope.body {
        case .challenge(let challenge) where serverNonce == nil:
            guard challenge.protocolVersion == WireHandshake.protocolVersion else {
                return .failed("coordinator speaks protocol version \(challenge.protocolVersion)")
            }
            let nonce = [UInt8](challenge.serverNonce)
            serverNonce = nonce
            var authenticate = WireAuthenticate()
            authenticate.mac = .init(HandshakeMAC.client(key, serverNonce: nonce, clientNonce: clientNonce, name: name))
            authenticate.description_p = description
            authenticate.held = held
            return .reply(.with { $0.authenticate = authenticate })
        case .welcome(let welcome):
            guard let serverNonce else { return .failed("welcome before challenge") }
            let expected = HandshakeMAC.server(key, serverNonce: serverNonce, clientNonce: clientNonce)
            guard HandshakeMAC.equal(expected, [UInt8](welcome.serverMac)) else {
                return .failed("coordinator failed to prove the key")
            }
            return .established(welcome)
        case .goodbye(let goodbye):
            return .failed(goodbye.reason)
        default:
            return .failed("unexpected message during handshake")
        }
    }
}
