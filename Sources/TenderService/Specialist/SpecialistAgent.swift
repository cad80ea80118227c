import Logging
import TenderCore
import TenderUV
import TenderWire

/// A specialist agent: one connection to the coordinator, bidding with its policy given its live
/// load, and answering awards with a plan after an analysis time drawn from its profile.
///
/// Reconnects with exponential backoff whenever the connection is lost; on reconnect it reports
/// the auctions it still holds, and drops those the coordinator tells it to abandon.
public final class SpecialistAgent {
    let config: SpecialistAgentConfig
    let loop: EventLoop
    let logger: Logger
    public var onEvent: ((SpecialistEvent) -> Void)?

    var connection: FramedConnection?
    var handshake: ClientHandshake?
    var specialistID: UInt32?
    var random: SeededGenerator
    var backoff: Double
    var stopped = false
    var lastHeard = 0.0
    var heartbeatTimeout = 3.5
    let heartbeatTimer: LoopTimer
    let reconnectTimer: LoopTimer

    /// CFPs answered with a proposal, kept until the award or rejection: the plan needs them.
    var proposals: [AuctionRef: WireCallForProposals] = [:]
    /// Awarded auctions being analysed.
    var tasks: [AuctionRef: LoopTimer?] = [:]
    /// Outcomes drawn at award time, reported when the analysis timer fires.
    var outcomes: [AuctionRef: OutcomeKind] = [:]
    /// Exponential moving average of how often a proposal won.
    var winRate = 0.5
    /// The one specialist model (shared with the simulator): observations and work draws.
    let model: SpecialistWorkModel
    var stormMeter: StormIntensityMeter

    public init(config: SpecialistAgentConfig, loop: EventLoop, logger: Logger) throws {
        self.config = config
        self.loop = loop
        self.logger = logger
        random = SeededGenerator(seed: config.seed)
        model = config.workModel
        stormMeter = StormIntensityMeter(nominalRate: config.nominalRate)
        backoff = config.reconnectInitial
        heartbeatTimer = try LoopTimer(loop: loop)
        reconnectTimer = try LoopTimer(loop: loop)
    }

    public func start() { connect() }

    /// Leave the coordinator cleanly and stop reconnecting.
    public func stop() {
        guard !stopped else { return }
        stopped = true
        heartbeatTimer.close()
        reconnectTimer.close()
        for timer in tasks.values { timer?.close() }
        tasks.removeAll()
        outcomes.removeAll()
        connection?.close(reason: "specialist stopping")
    }

    public var load: Int { tasks.count }

    // MARK: Connection

    private func connect() {
        guard !stopped else { return }
        StreamConnection.connect(loop: loop, host: config.host, port: config.port) { [weak self] result in
            guard let self, !self.stopped else {
                if case .success(let stream) = result { stream.close() }
                return
            }
            switch result {
            case .failure(let error):
                self.logger.debug("coordinator unreachable", metadata: ["error": "\(error)"])
                self.scheduleReconnect()
            case .success(let stream):
                self.opened(stream)
            }
        }
    }

    private func opened(_ stream: StreamConnection) {
        let connection = FramedConnection(stream: stream, logger: logger)
        self.connection = connection
        let description = WireMapping.description(of: (config.profile.kind, config.effectiveCapacity, config.profile.skills))
        var handshake = ClientHandshake(key: config.key, name: config.name, description: description, held: tasks.keys.map(WireMapping.ref))
        connection.onEnvelope = { [unowned self] envelope in self.received(envelope, handshake: &handshake) }
        connection.onClosed = { [unowned self] reason in self.closed(reason) }
        connection.start()
        connection.send(handshake.hello())
        lastHeard = EventLoop.monotonicSeconds()
    }

    private func received(_ envelope: WireEnvelope, handshake: inout ClientHandshake) {
        lastHeard = EventLoop.monotonicSeconds()
        guard specialistID != nil else {
            switch handshake.receive(envelope) {
            case .reply(let reply):
                connection?.send(reply)
            case .established(let welcome):
                established(welcome)
            case .failed(let reason):
                logger.error("coordinator refused this specialist", metadata: ["name": "\(config.name)", "reason": "\(reason)"])
                onEvent?(.refused(reason: reason))
                stop()
            }
            return
        }
        switch envelope.body {
        case .heartbeat:
            return
        case .cfp(let cfp):
            // Arrivals are timed in scenario seconds, the unit of the nominal rate.
            if cfp.ref.round <= 1 { stormMeter.noteArrival(at: EventLoop.monotonicSeconds() / Self.scenarioScale(config.timeScale)) }
            if config.replyDelay > 0 {
                answerLater(cfp)
            } else {
                answer(cfp)
            }
        case .accept(let accept):
            awarded(WireMapping.ref(accept.ref))
        case .reject(let reject):
            let ref = WireMapping.ref(reject.ref)
            if proposals.removeValue(forKey: ref) != nil { winRate = winRate * 0.95 }
            if reject.reason != "outbid" {
                logger.info("proposal rejected", metadata: ["auction": "\(ref)", "reason": "\(reject.reason)"])
                onEvent?(.rejected(incident: ref.incident.rawValue, reason: reject.reason))
            }
        case .cancel(let cancel):
            let ref = WireMapping.ref(cancel.ref)
            proposals[ref] = nil
            outcomes[ref] = nil
            if let timer = tasks.removeValue(forKey: ref) { timer?.close() }
        case .goodbye(let goodbye) where goodbye.reason == WireHandshake.replacedReason:
            // Another process connected under this name and took over (PROTOCOL.md §2.1).
            // Reconnecting would take the name back, and the two would flap forever.
            logger.error("another process took over this specialist's name; not reconnecting", metadata: ["name": "\(config.name)"])
            onEvent?(.refused(reason: goodbye.reason))
            stop()
        case .goodbye(let goodbye):
            logger.info("coordinator said goodbye", metadata: ["reason": "\(goodbye.reason)"])
            connection?.close(reason: "goodbye acknowledged")
        default:
            connection?.close(reason: "unexpected message from the coordinator")
        }
    }

    private func established(_ welcome: WireWelcome) {
        specialistID = welcome.specialistID
        backoff = config.reconnectInitial
        for ref in welcome.abandon.map(WireMapping.ref) {
            outcomes[ref] = nil
            if let timer = tasks.removeValue(forKey: ref) { timer?.close() }
        }
        heartbeatTimeout = Double(welcome.heartbeatTimeoutMs) / 1000
        let interval = UInt64(max(welcome.heartbeatIntervalMs, 50))
        heartbeatTimer.start(afterMilliseconds: interval, repeatMilliseconds: interval) { [unowned self] in self.beat() }
        logger.info("connected to the coordinator", metadata: ["name": "\(config.name)", "id": "\(welcome.specialistID)"])
        onEvent?(.connected(id: welcome.specialistID))
    }

    private func beat() {
        guard let connection else { return }
        if EventLoop.monotonicSeconds() - lastHeard > heartbeatTimeout {
            logger.warning("coordinator silent past the heartbeat timeout; reconnecting")
            connection.close(reason: "heartbeat timeout")
            connection.stream.abort()
            return
        }
        connection.send(.with { $0.heartbeat = .with { $0.sentAtMs = EventLoop.monotonicNanoseconds() / 1_000_000 } })
    }

    private func closed(_ reason: String?) {
        connection = nil
        let wasEstablished = specialistID != nil
        specialistID = nil
        proposals.removeAll()
        heartbeatTimer.stop()
        if wasEstablished {
            logger.notice("disconnected from the coordinator", metadata: ["reason": "\(reason ?? "closed")"])
            onEvent?(.disconnected(reason: reason ?? "closed"))
        }
        scheduleReconnect()
    }

    private func scheduleReconnect() {
        guard !stopped else { return }
        // Full jitter, so a pool restarted together does not reconnect in lockstep.
        let wait = backoff * (0.5 + 0.5 * random.nextUnit())
        backoff = min(backoff * 2, config.reconnectMaximum)
        reconnectTimer.start(afterMilliseconds: UInt64(wait * 1000)) { [unowned self] in self.connect() }
    }
}
