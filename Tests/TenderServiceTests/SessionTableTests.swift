import Testing
import TenderCore
@testable import TenderService

/// The coordinator's session decisions on a manual clock. Replaces the live heartbeat test,
/// which depended on wall-clock margins.
@Suite struct SessionTableTests {
    func table() -> SessionTable<Int> { SessionTable(heartbeatTimeout: 3.5, handshakeTimeout: 5) }

    @Test func aSilentSessionIsDeclaredDeadAfterTheHeartbeatTimeoutAndNotBefore() {
        let clock = ManualClock()
        var sessions = table()
        sessions.opened(1, at: clock.now.seconds)
        #expect(sessions.established(1, name: "frozen", at: clock.now.seconds) == nil)
        clock.advance(by: 1)
        sessions.heard(1, at: clock.now.seconds)
        clock.advance(by: 3.5)
        #expect(sessions.sweep(at: clock.now.seconds) == [.heartbeat(1)], "exactly the timeout since last heard: still alive")
        clock.advance(by: 0.01)
        #expect(sessions.sweep(at: clock.now.seconds) == [.heartbeatTimeout(1)])
    }

    @Test func anyFrameKeepsASessionAlive() {
        let clock = ManualClock()
        var sessions = table()
        sessions.opened(1, at: 0)
        _ = sessions.established(1, name: "chatty", at: 0)
        for _ in 0..<100 {
            clock.advance(by: 3)
            sessions.heard(1, at: clock.now.seconds)
            #expect(sessions.sweep(at: clock.now.seconds) == [.heartbeat(1)])
        }
    }

    @Test func aConnectionThatNeverFinishesTheHandshakeIsClosed() {
        var sessions = table()
        sessions.opened(1, at: 0)
        // Frames during the handshake do not extend it.
        sessions.heard(1, at: 4.9)
        #expect(sessions.sweep(at: 5).isEmpty, "handshaking connections get no heartbeat")
        #expect(sessions.sweep(at: 5.1) == [.handshakeTimeout(1)])
        #expect(sessions.handshaking == 1)
        sessions.closed(1)
        #expect(sessions.count == 0)
    }

    @Test func aNewerSessionWithTheSameNameReplacesTheOlder() {
        var sessions = table()
        sessions.opened(1, at: 0)
        #expect(sessions.established(1, name: "security-1", at: 0) == nil)
        // The specialist restarted and reconnected before its old socket timed out.
        sessions.opened(2, at: 1)
        #expect(sessions.established(2, name: "security-1", at: 1) == 1)
        #expect(sessions.session(named: "security-1") == 2)
        #expect(sessions.count == 1)
        // The old socket's close arrives later and changes nothing.
        #expect(sessions.closed(1) == nil)
        #expect(sessions.session(named: "security-1") == 2)
        // Other names are unaffected.
        sessions.opened(3, at: 2)
        #expect(sessions.established(3, name: "security-2", at: 2) == nil)
        #expect(sessions.count == 2)
        sessions.closed(2)
        #expect(sessions.session(named: "security-1") == nil)
    }
}

/// The late bid, on a manual clock, from the engine's action to the frame the specialist gets.
/// Replaces the live late-bid test, which depended on a 1.2 s delay beating a 300 ms window.
@Suite struct LateBidTests {
    @Test func aProposalAfterTheReplyWindowIsRejectedOnTheWireAsLate() throws {
        let clock = ManualClock()
        var engine = Auctioneer(config: EngineConfig())
        let skills = PerCategory<Double> { $0 == .security ? 0.9 : 0 }
        for index in 0..<2 {
            _ = engine.handle(.specialistJoined(SpecialistInfo(id: SpecialistID(index), name: "s\(index)", kind: .security, skills: skills, capacity: 2)), at: clock.now)
        }
        let incident = IncidentTicket(id: IncidentID(1), category: .security, severity: .high, createdAt: clock.now)
        let announced = engine.handle(.incidentArrived(incident), at: clock.now)
        let deadline = try #require(announced.compactMap { action -> (EngineTimer, Instant)? in
            if case .armTimer(let timer, let at) = action { return (timer, at) }
            return nil
        }.first)
        let ref = try #require(announced.compactMap { action -> AuctionRef? in
            if case .sendCFP(let ref, _, _) = action { return ref }
            return nil
        }.first)
        _ = engine.handle(.proposal(ref, from: SpecialistID(0), Bid(eta: 10, confidence: 0.9)), at: clock.now)
        clock.set(deadline.1)
        _ = engine.handle(.timerFired(deadline.0), at: clock.now)
        clock.advance(by: 0.9)
        let late = engine.handle(.proposal(ref, from: SpecialistID(1), Bid(eta: 1, confidence: 0.9)), at: clock.now)
        let messages = late.compactMap { WireMapping.message(for: $0, at: clock.now) }
        #expect(messages.count == 1)
        #expect(messages.first?.to == SpecialistID(1))
        guard case .reject(let reject)? = messages.first?.envelope.body else {
            Issue.record("expected a RejectProposal, got \(messages)")
            return
        }
        #expect(reject.reason == "late")
        #expect(reject.ref.incident == 1)
    }
}
