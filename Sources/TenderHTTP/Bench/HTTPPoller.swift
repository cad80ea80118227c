import Dispatch
import Foundation
import TenderUV

/// An open-loop, paced HTTP client for benchmarks: `rate` GET requests per second over
/// `connections` keep-alive connections (one request in flight on each, as a browser's polling
/// does), cycling through `paths`. It runs on a loop and thread of its own, so it loads the server
/// without sharing its loop. When every connection is busy, due requests wait for the next free
/// one: the achieved rate is what the server sustained, reported with the response latencies.
public final class HTTPPoller: @unchecked Sendable {
    public struct Result: Sendable {
        public var responses: Int
        public var seconds: Double
        public var statuses: [Int: Int]
        public var connectionErrors: Int
        /// Requests that were due when polling stopped but never sent (every connection busy).
        public var lagging: Int
        /// Request sent to response complete, microseconds.
        public var latencyP50: Double
        public var latencyP99: Double
        public var latencyMax: Double
        public var requestsPerSecond: Double { seconds > 0 ? Double(responses) / seconds : 0 }
    }

    private let port: Int
    private let requests: [[UInt8]]
    private let rate: Double
    private let connections: Int
    private let finished = DispatchSemaphore(value: 0)
    private var stopper: LoopWakeup?
    private var result: Result?

    // Loop-thread state.
    private var clients: [Client] = []
    private var idle: [Client] = []
    private var sent = 0
    private var responses = 0
    private var statuses: [Int: Int] = [:]
    private var connectionErrors = 0
    private var latencies: [UInt64] = []
    private var startedAt: UInt64 = 0

    public init(port: Int, paths: [String], rate: Double, connections: Int) {
        self.port = port
        requests = paths.map { Array("GET \($0) HTTP/1.1\r\nHost: bench\r\n\r\n".utf8) }
        self.rate = rate
        self.connections = connections
    }

    /// Start polling on a new thread; returns once its loop is set up.
    public func start() throws {
        let ready = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var failure: Error?
        let thread = Thread { [self] in
            do {
                let loop = try EventLoop()
                let ticker = try LoopTimer(loop: loop)
                stopper = try LoopWakeup(loop: loop) { [self] in
                    result = summary()
                    for client in clients { client.stream.close() }
                    ticker.close()
                    stopper?.close()
                }
                for _ in 0..<connections { connect(loop) }
                startedAt = EventLoop.monotonicNanoseconds()
                ticker.start(afterMilliseconds: 1, repeatMilliseconds: 1) { [self] in sendDue() }
                ready.signal()
                loop.run()
                loop.close()
            } catch {
                failure = error
                ready.signal()
            }
            finished.signal()
        }
        thread.name = "tender-http-poller"
        thread.start()
        ready.wait()
        if let failure { throw failure }
    }

    /// Stop polling and wait for the poller's thread; the figures since `start`.
    public func stop() -> Result {
        stopper?.wake()
        finished.wait()
        return result ?? Result(responses: 0, seconds: 0, statuses: [:], connectionErrors: connectionErrors, lagging: 0, latencyP50: 0, latencyP99: 0, latencyMax: 0)
    }

    private func connect(_ loop: EventLoop) {
        StreamConnection.connect(loop: loop, host: "127.0.0.1", port: port) { [self] outcome in
            switch outcome {
            case .failure: connectionErrors += 1
            case .success(let stream):
                let client = Client(stream: stream)
                client.framer.onResponse = { [unowned self, unowned client] status in completed(client, status: status) }
                stream.onRead = { [unowned self, unowned client] bytes in
                    if !client.framer.feed(bytes) {
                        connectionErrors += 1
                        client.stream.abort()
                    }
                }
                stream.onClose = { [unowned self, unowned client] _ in idle.removeAll { $0 === client } }
                clients.append(client)
                do {
                    try stream.startReading()
                    idle.append(client)
                    sendDue()
                } catch {
                    connectionErrors += 1
                }
            }
        }
    }

    private func sendDue() {
        let due = Int(Double(EventLoop.monotonicNanoseconds() &- startedAt) / 1e9 * rate)
        while sent < due, let client = idle.popLast() {
            client.sentAt = EventLoop.monotonicNanoseconds()
            client.stream.write(requests[sent % requests.count])
            sent += 1
        }
    }

    private func completed(_ client: Client, status: Int) {
        responses += 1
        statuses[status, default: 0] += 1
        latencies.append(EventLoop.monotonicNanoseconds() &- client.sentAt)
        idle.append(client)
        sendDue()
    }

    private func summary() -> Result {
        let seconds = Double(EventLoop.monotonicNanoseconds() &- startedAt) / 1e9
        let sorted = latencies.sorted()
        func micro(_ percentile: Double) -> Double {
            sorted.isEmpty ? 0 : Double(sorted[min(sorted.count - 1, Int(Double(sorted.count) * percentile / 100))]) / 1000
        }
        let due = Int(seconds * rate)
        return Result(responses: responses, seconds: seconds, statuses: statuses, connectionErrors: connectionErrors,
                      lagging: max(0, due - sent), latencyP50: micro(50), latencyP99: micro(99), latencyMax: Double(sorted.last ?? 0) / 1000)
    }

    private final class Client {
        let stream: StreamConnection
        let framer = HTTPResponseFramer()
        var sentAt: UInt64 = 0
        init(stream: StreamConnection) { self.stream = stream }
    }
}
