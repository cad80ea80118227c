import Testing
import TenderWire

@Suite struct HandshakeTests {
    let key = try! PreSharedKey(bytes: Array("a shared test key, 32 bytes long".utf8))
    let otherKey = try! PreSharedKey(bytes: Array("a different key of enough length".utf8))

    func description() -> WireSpecialistDescription {
        .with { $0.kind = "security"; $0.capacity = 4; $0.skillSecurity = 0.9 }
    }

    /// Run both state machines against each other; return what each side concluded.
    func run(client clientKey: PreSharedKey, server serverKey: PreSharedKey) -> (server: ServerHandshake.Step?, client: ClientHandshake.Step?) {
        var client = ClientHandshake(key: clientKey, name: "security-1", description: description())
        var server = ServerHandshake(key: serverKey)
        guard case .reply(let challenge) = server.receive(client.hello()) else { return (nil, nil) }
        guard case .reply(let authenticate) = client.receive(challenge) else { return (nil, nil) }
        let outcome = server.receive(authenticate)
        switch outcome {
        case .established(_, _, _, let welcome):
            return (outcome, client.receive(.with { $0.welcome = welcome }))
        case .refuse(let reason):
            return (outcome, client.receive(.with { $0.goodbye = .with { $0.reason = reason } }))
        case .reply:
            return (outcome, nil)
        }
    }

    @Test func matchingKeysEstablishTheSessionBothWays() {
        let (server, client) = run(client: key, server: key)
        guard case .established(let name, let description, _, _) = server else {
            Issue.record("server did not establish: \(String(describing: server))")
            return
        }
        #expect(name == "security-1")
        #expect(description.capacity == 4)
        guard case .established = client else {
            Issue.record("client did not establish: \(String(describing: client))")
            return
        }
    }

    @Test func wrongKeyIsRefusedWithAReason() {
        let (server, client) = run(client: otherKey, server: key)
        guard case .refuse(let reason) = server else {
            Issue.record("expected refusal, got \(String(describing: server))")
            return
        }
        #expect(reason == "authentication failed")
        guard case .failed("authentication failed") = client else {
            Issue.record("client should see the reason")
            return
        }
    }

    @Test func keyNeverAppearsInAnyHandshakeFrame() throws {
        var client = ClientHandshake(key: key, name: "n", description: description())
        var server = ServerHandshake(key: key)
        let hello = client.hello()
        guard case .reply(let challenge) = server.receive(hello), case .reply(let authenticate) = client.receive(challenge) else {
            Issue.record("handshake did not proceed")
            return
        }
        let keyBytes = Array("a shared test key, 32 bytes long".utf8)
        for envelope in [hello, challenge, authenticate] {
            let frame = try FrameEncoder.frame(envelope)
            #expect(!contains(frame, keyBytes))
        }
    }

    @Test func otherProtocolVersionIsRefused() {
        var server = ServerHandshake(key: key)
        var hello = ClientHandshake(key: key, name: "n", description: description()).hello()
        hello.hello.protocolVersion = 2
        guard case .refuse(let reason) = server.receive(hello) else {
            Issue.record("expected refusal")
            return
        }
        #expect(reason.contains("unsupported protocol version 2"))
    }

    @Test func contractNetMessageBeforeHandshakeIsRefused() {
        var server = ServerHandshake(key: key)
        guard case .refuse = server.receive(.with { $0.heartbeat = .init() }) else {
            Issue.record("expected refusal")
            return
        }
    }

    @Test func shortKeysAreRejected() {
        #expect(throws: PreSharedKey.KeyError.self) { try PreSharedKey(bytes: [1, 2, 3]) }
    }

    func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count else { return false }
        return (0...(haystack.count - needle.count)).contains { Array(haystack[$0..<$0 + needle.count]) == needle }
    }
}
