import TenderCore
import Foundation
import Logging
import TenderUV

/// The JSON-lines intake port. Each line is an incident (see `IncidentSubmission`) or a command
/// (see `IntakeCommand`), and gets exactly one reply line carrying its ordinal (`"line": N`),
/// in line order (see `ReplySequencer`).
///
/// Backpressure: a full coordinator answers `{"ok":false,"error":"overloaded","retry":true}`;
/// a client that stops reading its replies is disconnected before its replies pile up. The
/// number of connections is bounded and silent ones are closed (see `ConnectionLimits`).
public final class IntakeServer: IntakeSource {
    private unowned let coordinator: Coordinator
    private let logger: Logger
    private let loop: EventLoop
    private var server: TCPServer?
    private var clients: [ObjectIdentifier: IntakeClient] = [:]
    private var idleSweep: LoopTimer?
    private var limitNotice = RateLimitedNotice()
    /// A client whose unread replies exceed this is dropped.
    let maxUnreadReplyBytes = 8 << 20

    /// One intake connection: its stream, the order its replies go out in, and its activity.
    private final class IntakeClient {
        let stream: StreamConnection
        var replies = ReplySequencer()
        var lastActivity: Double
        var watching = false
        init(stream: StreamConnection, now: Double) {
            self.stream = stream
            lastActivity = now
        }
    }

    public init(coordinator: Coordinator, loop: EventLoop, host: String, port: Int, logger: Logger) throws {
        self.coordinator = coordinator
        self.logger = logger
        self.loop = loop
        server = try TCPServer(loop: loop, host: host, port: port) { [unowned self] stream in self.accept(stream) }
        coordinator.register(self)
        coordinator.observeConclusions { [unowned self] event in self.broadcast(event) }
        let timeout = coordinator.config.connections.intakeIdleTimeout
        if timeout > 0 {
            let sweep = try LoopTimer(loop: loop)
            sweep.unref()
            let every = UInt64(max(50, timeout * 250))
            sweep.start(afterMilliseconds: every, repeatMilliseconds: every) { [unowned self] in self.closeIdleClients() }
            idleSweep = sweep
        }
    }

    public var port: Int { server?.port ?? 0 }
    /// Intake connections open now.
    public var connectionCount: Int { clients.count }

    private func accept(_ stream: StreamConnection) {
        let now = EventLoop.monotonicSeconds()
        if case .refuse(let reason) = coordinator.config.connections.admit(.intake, open: clients.count) {
            if let unlogged = limitNotice.occurred(at: now) {
                logger.warning("refusing intake connection: limit reached", metadata: ["peer": "\(stream.label)", "reason": "\(reason)", "refused_since_last_notice": "\(unlogged)"])
            }
            coordinator.stats.refusedConnections += 1
            stream.write(IntakeReply.rejected(reason, reference: nil, retryable: true).jsonLine + "\n")
            stream.close()
            return
        }
        let client = IntakeClient(stream: stream, now: now)
        let key = ObjectIdentifier(stream)
        clients[key] = client
        var lines = LineSplitter()
        stream.onRead = { [unowned self, unowned client] bytes in
            client.lastActivity = EventLoop.monotonicSeconds()
            do {
                try lines.feed(bytes) { line in self.received(line, from: client) }
            } catch {
                self.logger.warning("closing intake connection", metadata: ["peer": "\(stream.label)", "reason": "\(error)"])
                let ordinal = client.replies.receive()
                self.reply(IntakeReply.rejected("\(error)", reference: nil, retryable: false).jsonLine(line: ordinal), to: ordinal, of: client)
                stream.close()
            }
        }
        stream.onClose = { [unowned self] _ in self.clients[key] = nil }
        try? stream.startReading()
    }

    private func received(_ text: String, from client: IntakeClient) {
        let ordinal = client.replies.receive()
        guard !text.allSatisfy(\.isWhitespace) else {
            reply(nil, to: ordinal, of: client)
            return
        }
        switch IntakeLine.parse(text, limits: coordinator.config.incidentLimits) {
        case .failure(let error):
            reply(IntakeReply.rejected(error.description, reference: error.reference, retryable: false).jsonLine(line: ordinal), to: ordinal, of: client)
        case .success(.command(.watch)):
            client.watching = true
            reply(IntakeJSON.line(WatchingReply(line: ordinal)), to: ordinal, of: client)
        case .success(.command(.stats)):
            reply(IntakeJSON.line(IntakeStatsLine(coordinator, line: ordinal)), to: ordinal, of: client)
        case .success(.command(.cancel(let id, let by, let reason))):
            coordinator.cancelIncident(IncidentID(id), by: by ?? "intake \(client.stream.label)", reason: reason ?? "") { [weak self, weak client] answer in
                guard let self, let client else { return }
                self.reply(IntakeJSON.line(CancelReplyLine(answer, id: id, line: ordinal)), to: ordinal, of: client)
            }
        case .success(.incident(let submission)):
            coordinator.submit(submission) { [weak self, weak client] answer in
                guard let self, let client else { return }
                self.reply(answer.jsonLine(line: ordinal), to: ordinal, of: client)
            }
        }
    }

    /// Queue the reply to line `ordinal`; send whatever is now due, in line order.
    private func reply(_ text: String?, to ordinal: Int, of client: IntakeClient) {
        for line in client.replies.reply(text, to: ordinal) { send(line, to: client.stream) }
    }

    private func send(_ line: String, to stream: StreamConnection) {
        guard stream.isOpen else { return }
        guard stream.pendingWriteBytes < maxUnreadReplyBytes else {
            logger.warning("dropping intake client that does not read its replies", metadata: ["peer": "\(stream.label)"])
            stream.abort()
            return
        }
        stream.write(line + "\n")
    }

    private func closeIdleClients() {
        let now = EventLoop.monotonicSeconds()
        let limits = coordinator.config.connections
        for client in clients.values where limits.intakeIsIdle(lastActivity: client.lastActivity, now: now, watching: client.watching, awaitingReplies: client.replies.awaiting) {
            logger.info("closing idle intake connection", metadata: ["peer": "\(client.stream.label)", "idle_s": "\(limits.intakeIdleTimeout)"])
            coordinator.stats.idleConnectionsClosed += 1
            client.stream.close()
        }
    }

    private func broadcast(_ event: ConclusionEvent) {
        guard clients.values.contains(where: \.watching) else { return }
        let line = IntakeJSON.line(ConcludedLine(event))
        for client in clients.values where client.watching { send(line, to: client.stream) }
    }

    public func stopIntake() {
        server?.close()
        server = nil
    }

    public func close() {
        stopIntake()
        idleSweep?.close()
        idleSweep = nil
        for client in clients.values { client.stream.close() }
        clients.removeAll()
    }
}

/// The reply to `{"op":"watch"}`.
struct WatchingReply: Encodable {
    var ok = true
    var watching = true
    var line: Int
}

/// A `{"event":"concluded",…}` line for watchers.
struct ConcludedLine: Encodable {
    var event = "concluded"
    var id: UInt64
    var conclusion: String
    var seconds: Double
    var specialist: String?
    var playbook: String?
    var steps: Int?

    init(_ event: ConclusionEvent) {
        id = event.incident.rawValue
        conclusion = event.conclusion
        seconds = event.secondsToConclude.isFinite ? event.secondsToConclude : 0
        specialist = event.specialist
        playbook = event.plan?.playbook
        steps = event.plan?.steps.count
    }
}

/// The reply to `{"op":"stats"}`: the coordinator's counters.
struct IntakeStatsLine: Encodable {
    var line: Int
    var submitted, resolved, escalated, cancelled, auctions, reauctions: Int
    var open, backlog, specialists, overloaded, duplicates: Int
    var refusedConnections, idleConnectionsClosed: Int
    var admissionLimit: Int?

    enum CodingKeys: String, CodingKey {
        case line, submitted, resolved, escalated, cancelled, auctions, reauctions, open, backlog, specialists, overloaded, duplicates
        case refusedConnections = "refused_connections", idleConnectionsClosed = "idle_connections_closed", admissionLimit = "admission_limit"
    }

    init(_ coordinator: Coordinator, line: Int) {
        let stats = coordinator.stats
        self.line = line
        submitted = stats.submitted
        resolved = stats.resolved
        escalated = stats.escalated
        cancelled = stats.cancelled
        auctions = stats.auctions
        reauctions = stats.reauctions
        open = coordinator.openIncidents
        backlog = coordinator.backlogLength
        specialists = coordinator.connectedSpecialists
        overloaded = stats.rejectedOverloaded
        duplicates = stats.duplicates
        refusedConnections = stats.refusedConnections
        idleConnectionsClosed = stats.idleConnectionsClosed
        admissionLimit = coordinator.admission.isEnabled ? coordinator.admission.limit : nil
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(line, forKey: .line)
        for (key, value) in [(CodingKeys.submitted, submitted), (.resolved, resolved), (.escalated, escalated), (.cancelled, cancelled), (.auctions, auctions), (.reauctions, reauctions), (.open, open), (.backlog, backlog), (.specialists, specialists), (.overloaded, overloaded), (.duplicates, duplicates), (.refusedConnections, refusedConnections), (.idleConnectionsClosed, idleConnectionsClosed)] {
            try container.encode(value, forKey: key)
        }
        // Null when admission is off, as before: the key is always present.
        try container.encode(admissionLimit, forKey: .admissionLimit)
    }
}
