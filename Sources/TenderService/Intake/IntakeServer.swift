import Foundation
import Logging
import TenderUV

/// The JSON-lines intake port. Each line is an incident (see `IncidentSubmission`) and gets one
/// reply line, or a command:
/// - `{"op":"watch"}`: stream a line for every concluded incident on this connection;
/// - `{"op":"stats"}`: one line with the coordinator's counters.
///
/// Backpressure: a full coordinator answers `{"ok":false,"error":"overloaded","retry":true}`;
/// a client that stops reading its replies is disconnected before its replies pile up.
public final class IntakeServer: IntakeSource {
    private unowned let coordinator: Coordinator
    private let logger: Logger
    private var server: TCPServer?
    private var clients: [ObjectIdentifier: StreamConnection] = [:]
    private var watchers: [ObjectIdentifier: StreamConnection] = [:]
    /// A client whose unread replies exceed this is dropped.
    let maxUnreadReplyBytes = 8 << 20

    public init(coordinator: Coordinator, loop: EventLoop, host: String, port: Int, logger: Logger) throws {
        self.coordinator = coordinator
        self.logger = logger
        server = try TCPServer(loop: loop, host: host, port: port) { [unowned self] stream in self.accept(stream) }
        coordinator.register(self)
        coordinator.observeConclusions { [unowned self] event in self.broadcast(event) }
    }

    public var port: Int { server?.port ?? 0 }

    private func accept(_ stream: StreamConnection) {
        let key = ObjectIdentifier(stream)
        clients[key] = stream
        var lines = LineSplitter()
        stream.onRead = { [unowned self, unowned stream] bytes in
            do {
                try lines.feed(bytes) { line in self.received(line, from: stream) }
            } catch {
                self.logger.warning("closing intake connection", metadata: ["peer": "\(stream.label)", "reason": "\(error)"])
                stream.write(IntakeReply.rejected("\(error)", reference: nil, retryable: false).jsonLine + "\n")
                stream.close()
            }
        }
        stream.onClose = { [unowned self] _ in
            self.clients[key] = nil
            self.watchers[key] = nil
        }
        try? stream.startReading()
    }

    private func received(_ line: String, from stream: StreamConnection) {
        guard !line.allSatisfy(\.isWhitespace) else { return }
        if line.contains("\"op\""), let command = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any], let op = command["op"] as? String {
            switch op {
            case "watch":
                watchers[ObjectIdentifier(stream)] = stream
                send("{\"ok\":true,\"watching\":true}", to: stream)
            case "stats":
                send(statsLine(), to: stream)
            default:
                send(IntakeReply.rejected("op: unknown command `\(op)`", reference: nil, retryable: false).jsonLine, to: stream)
            }
            return
        }
        switch IncidentSubmission.parse(jsonLine: line) {
        case .failure(let error):
            send(IntakeReply.rejected(error.description, reference: error.reference, retryable: false).jsonLine, to: stream)
        case .success(let submission):
            coordinator.submit(submission) { [weak self, weak stream] reply in
                guard let self, let stream else { return }
                self.send(reply.jsonLine, to: stream)
            }
        }
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

    private func broadcast(_ event: ConclusionEvent) {
        guard !watchers.isEmpty else { return }
        var object: [String: Any] = ["event": "concluded", "id": event.incident.rawValue, "conclusion": event.conclusion, "seconds": event.secondsToConclude]
        if let specialist = event.specialist { object["specialist"] = specialist }
        if let plan = event.plan { object["playbook"] = plan.playbook; object["steps"] = plan.steps.count }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
        let line = String(decoding: data, as: UTF8.self)
        for watcher in watchers.values { send(line, to: watcher) }
    }

    private func statsLine() -> String {
        let stats = coordinator.stats
        let object: [String: Any] = [
            "submitted": stats.submitted, "resolved": stats.resolved, "escalated": stats.escalated,
            "cancelled": stats.cancelled, "auctions": stats.auctions, "reauctions": stats.reauctions,
            "open": coordinator.openIncidents, "backlog": coordinator.backlogLength,
            "specialists": coordinator.connectedSpecialists, "overloaded": stats.rejectedOverloaded,
            "admission_limit": coordinator.admission.isEnabled ? coordinator.admission.limit : NSNull(),
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    public func stopIntake() {
        server?.close()
        server = nil
    }

    public func close() {
        stopIntake()
        for client in clients.values { client.close() }
        clients.removeAll()
        watchers.removeAll()
    }
}
