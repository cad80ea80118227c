import TenderCore
import TenderUV
import TenderWire

/// Specialist connections: handshake, inbound contract-net messages, liveness.
extension Coordinator {
    func accept(_ stream: StreamConnection) {
        guard !draining else {
            stream.abort()
            return
        }
        let now = EventLoop.monotonicSeconds()
        if case .refuse(let reason) = config.connections.admit(.specialist, open: sessionTable.count, handshaking: sessionTable.handshaking) {
            if let unlogged = connectionLimitNotice.occurred(at: now) {
                logger.warning("refusing specialist connection: limit reached", metadata: ["peer": "\(stream.label)", "reason": "\(reason)", "refused_since_last_notice": "\(unlogged)"])
            }
            stats.refusedConnections += 1
            stream.abort()
            return
        }
        let connection = FramedConnection(stream: stream, maxFrameSize: config.maxFrameSize, logger: logger)
        let session = SpecialistSession(connection: connection, handshake: ServerHandshake(key: key), now: now)
        let key = ObjectIdentifier(session)
        connections[key] = session
        sessionTable.opened(key, at: now)
        connection.onEnvelope = { [unowned self, unowned session] envelope in self.received(envelope, on: session) }
        connection.onClosed = { [unowned self] reason in
            self.sessionTable.closed(key)
            guard let session = self.connections.removeValue(forKey: key), !session.retired else { return }
            self.sessionClosed(session, reason: reason)
        }
        connection.start()
    }

    private func received(_ envelope: WireEnvelope, on session: SpecialistSession) {
        sessionTable.heard(ObjectIdentifier(session), at: EventLoop.monotonicSeconds())
        guard let id = session.id else {
            handshake(envelope, on: session)
            return
        }
        switch envelope.body {
        case .heartbeat:
            return
        case .propose(let propose):
            let ref = WireMapping.ref(propose.ref)
            recordBid(ref, from: session, eta: propose.etaS, refusal: nil)
            handle(.proposal(ref, from: id, Bid(eta: propose.etaS, confidence: propose.confidence)))
        case .refuse(let refuse):
            let ref = WireMapping.ref(refuse.ref)
            let reason = WireMapping.refusal(refuse.reason)
            recordBid(ref, from: session, eta: nil, refusal: reason.name)
            handle(WireMapping.event(for: refuse, from: id))
        case .informDone(let done):
            handle(.outcome(WireMapping.ref(done.ref), from: id, .done))
        case .informResult(let result):
            let ref = WireMapping.ref(result.ref)
            // Kept until the engine decides: applied only if this report resolves the incident.
            live[ref.incident]?.plan = RemediationPlan(result.plan)
            handle(.outcome(ref, from: id, .result))
        case .failure(let failure):
            logger.info("specialist reported failure", metadata: ["specialist": "\(session.name)", "auction": "\(WireMapping.ref(failure.ref))", "reason": "\(failure.reason)"])
            handle(WireMapping.event(for: failure, from: id))
        case .goodbye(let goodbye):
            session.connection.close(reason: "goodbye: \(goodbye.reason)")
        default:
            logger.warning("closing connection after a protocol violation", metadata: ["peer": "\(session.label)", "message": "\(envelope.body.map { "\($0)".prefix(40) } ?? "none")"])
            stats.badConnections += 1
            session.connection.close(reason: "unexpected message from a specialist")
        }
    }

    private func handshake(_ envelope: WireEnvelope, on session: SpecialistSession) {
        switch session.handshake.receive(envelope) {
        case .reply(let reply):
            session.connection.send(reply)
        case .refuse(let reason):
            logger.warning("refused specialist", metadata: ["peer": "\(session.connection.label)", "reason": "\(reason)"])
            stats.badConnections += 1
            session.connection.close(reason: reason)
        case .established(let name, let description, let held, var welcome):
            let id = SpecialistID(freeIDs.isEmpty ? UInt32(sessions.count) : freeIDs.removeFirst())
            switch WireMapping.info(description, id: id, name: name) {
            case .failure(let error):
                if id.index < sessions.count { freeIDs.insert(id.rawValue, at: 0) }
                logger.warning("refused specialist", metadata: ["peer": "\(session.connection.label)", "reason": "\(error)"])
                session.connection.close(reason: error.description)
            case .success(let info):
                replaceSession(named: name, by: session)
                session.id = id
                session.name = name
                session.kind = info.kind
                recordSessionOpened(session)
                if id.index >= sessions.count { sessions.append(contentsOf: repeatElement(nil, count: id.index - sessions.count + 1)) }
                sessions[id.index] = session
                if let slot = fairnessSlots[name] {
                    session.fairnessSlot = slot
                } else {
                    session.fairnessSlot = stats.fairness.work.count
                    fairnessSlots[name] = session.fairnessSlot
                    stats.fairness.add(capability: info.capability)
                }
                welcome.specialistID = id.rawValue
                welcome.heartbeatIntervalMs = UInt32(config.heartbeatInterval * 1000)
                welcome.heartbeatTimeoutMs = UInt32(config.heartbeatTimeout * 1000)
                // A new session holds nothing in the engine: whatever it held before was
                // re-auctioned when its old session ended, so it drops all of it.
                welcome.abandon = held
                session.connection.send(.with { $0.welcome = welcome })
                stats.specialistsJoined += 1
                logger.info("specialist joined", metadata: ["specialist": "\(name)", "id": "\(id)", "kind": "\(info.kind.rawValue)", "capacity": "\(info.capacity)"])
                handle(.specialistJoined(info))
                announceRecovered()
                onPoolChanged?(connectedSpecialists)
            }
        }
    }

    func sessionClosed(_ session: SpecialistSession, reason: String?) {
        guard let id = session.id else {
            if let reason { logger.info("connection closed before the handshake finished", metadata: ["peer": "\(session.connection.label)", "reason": "\(reason)"]) }
            return
        }
        sessions[id.index] = nil
        recordSessionClosed(session, reason: reason)
        freeIDs.append(id.rawValue)
        freeIDs.sort()
        stats.specialistsLeft += 1
        logger.log(level: draining ? .info : .notice, "specialist left; its open work is re-auctioned", metadata: ["specialist": "\(session.name)", "id": "\(id)", "reason": "\(reason ?? "closed")"])
        handle(.specialistLeft(id))
        onPoolChanged?(connectedSpecialists)
    }

    /// A newer session took `name`: close the older one now, and re-auction its work at once
    /// rather than when its socket finally reports closed (see `SessionTable`).
    private func replaceSession(named name: String, by session: SpecialistSession) {
        guard let previousKey = sessionTable.established(ObjectIdentifier(session), name: name, at: EventLoop.monotonicSeconds()),
              let previous = connections[previousKey]
        else { return }
        // Kept in `connections` until its socket reports closed (the stream's callbacks still
        // refer to it), but its end is handled here, once.
        previous.retired = true
        stats.sessionsReplaced += 1
        let reason = WireHandshake.replacedReason
        logger.notice("closing the older session of a reconnected specialist", metadata: ["specialist": "\(name)", "old": "\(previous.connection.label)", "new": "\(session.connection.label)"])
        previous.connection.close(reason: reason)
        sessionClosed(previous, reason: reason)
    }

    /// Send heartbeats, and close sessions that went silent or never finished the handshake.
    func sweepSessions() {
        let now = EventLoop.monotonicSeconds()
        var heartbeat = WireHeartbeat()
        heartbeat.sentAtMs = UInt64(now * 1000)
        let beat = WireEnvelope.with { $0.heartbeat = heartbeat }
        for action in sessionTable.sweep(at: now) {
            switch action {
            case .handshakeTimeout(let key):
                guard let session = connections[key] else { continue }
                logger.warning("closing connection: handshake timeout", metadata: ["peer": "\(session.connection.label)"])
                session.connection.close(reason: "handshake timeout")
            case .heartbeatTimeout(let key):
                guard let session = connections[key] else { continue }
                logger.warning("closing session: heartbeat timeout", metadata: ["specialist": "\(session.label)"])
                // A silent peer may never read the Goodbye; abort so the close is immediate.
                session.connection.close(reason: "heartbeat timeout")
                session.connection.stream.abort()
            case .heartbeat(let key):
                connections[key]?.connection.send(beat)
            }
        }
    }

    func session(_ id: SpecialistID) -> SpecialistSession? {
        id.index < sessions.count ? sessions[id.index] : nil
    }
}

extension RemediationPlan {
    init(_ wire: WirePlan) {
        self.init(
            playbook: wire.playbook,
            steps: wire.steps.map { step in
                Step(action: step.action, parameters: step.parameters.map { Parameter(name: $0.name, type: $0.type, value: $0.value) }, risk: step.risk, undo: step.undo)
            },
            summary: wire.summary
        )
    }
}
