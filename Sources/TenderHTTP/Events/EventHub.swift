import TenderUV

/// Fans server-sent events out to every `/events` client.
///
/// Each client's unsent bytes are bounded (`HTTPLimits.maxEventStreamBacklogBytes`); a client
/// that falls further behind is dropped, never buffered for, so one stalled browser tab cannot
/// grow the coordinator's memory. Clients reconnect (EventSource does so by itself) and read the
/// current state from the API.
public final class EventHub {
    private var sinks: [ObjectIdentifier: EventStreamSink] = [:]
    private var nextID: UInt64 = 1
    public let maxClients: Int
    public private(set) var droppedSlowClients = 0
    public private(set) var publishedEvents = 0
    private var heartbeat: LoopTimer?

    /// With a loop, a comment line goes out every `heartbeatMilliseconds` so proxies and browsers
    /// see a live connection while nothing happens.
    public init(loop: EventLoop? = nil, maxClients: Int = 256, heartbeatMilliseconds: UInt64 = 15_000) {
        self.maxClients = maxClients
        if let loop, let timer = try? LoopTimer(loop: loop) {
            timer.unref()
            timer.start(afterMilliseconds: heartbeatMilliseconds, repeatMilliseconds: heartbeatMilliseconds) { [weak self] in
                self?.broadcast(Array(": heartbeat\n\n".utf8))
            }
            heartbeat = timer
        }
    }

    public var clientCount: Int { sinks.count }

    /// Take a new client; false (and the sink closed) when the hub is full.
    @discardableResult
    public func attach(_ sink: EventStreamSink) -> Bool {
        guard sinks.count < maxClients else {
            sink.close()
            return false
        }
        let key = ObjectIdentifier(sink)
        sinks[key] = sink
        sink.onClose = { [weak self, weak sink] in
            guard let self else { return }
            if sink?.wasDroppedAsSlow == true { self.droppedSlowClients += 1 }
            self.sinks[key] = nil
        }
        // Tell EventSource how long to wait before reconnecting.
        sink.send(Array("retry: 2000\n\n".utf8))
        return true
    }

    /// Send one event (`event: name`, `data: json`) to every client.
    public func publish(_ event: String, json: [UInt8]) {
        publishedEvents += 1
        guard !sinks.isEmpty else { return }
        var frame = Array("id: \(nextID)\nevent: \(event)\ndata: ".utf8)
        nextID += 1
        // JSON from our encoder has no raw newlines; any that did would end the data field early.
        frame.append(contentsOf: json.map { $0 == 0x0A ? 0x20 : $0 })
        frame.append(contentsOf: [0x0A, 0x0A])
        broadcast(frame)
    }

    /// Encode and send a value in the API's JSON form.
    public func publish<T: Encodable>(_ event: String, _ value: T) {
        guard let json = try? APIJSON.encoder.encode(value) else { return }
        publish(event, json: Array(json))
    }

    private func broadcast(_ frame: [UInt8]) {
        for sink in Array(sinks.values) where !sink.send(frame) {
            // A failed send closed the sink; its onClose removes it and counts the drop.
            continue
        }
    }

    public func close() {
        heartbeat?.close()
        heartbeat = nil
        for sink in Array(sinks.values) { sink.close() }
    }
}
