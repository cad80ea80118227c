import TenderUV

/// A closed-loop HTTP load generator for `tender bench http`: `connections` keep-alive
/// connections, each keeping `pipelineDepth` copies of one request in flight, responses framed by
/// http-parser. Runs on its own loop (its own thread), so the server's loop is measured alone.
public final class HTTPLoadGenerator {
    public struct Result: Sendable {
        public var responses: Int
        public var seconds: Double
        /// Responses per status code.
        public var statuses: [Int: Int]
        public var connectionErrors: Int
        public var requestsPerSecond: Double { seconds > 0 ? Double(responses) / seconds : 0 }
    }

    private let port: Int
    private let connections: Int
    private let pipelineDepth: Int
    private let request: [UInt8]
    private var clients: [Client] = []
    fileprivate var responses = 0
    fileprivate var statuses: [Int: Int] = [:]
    fileprivate var connectionErrors = 0
    fileprivate var running = false

    public init(port: Int, connections: Int, pipelineDepth: Int, request: [UInt8]) {
        self.port = port
        self.connections = connections
        self.pipelineDepth = pipelineDepth
        self.request = request
    }

    /// Load the server for `warmup` seconds (not counted), then `seconds` (counted).
    public func run(seconds: Double, warmup: Double = 0.5) throws -> Result {
        let loop = try EventLoop()
        running = true
        var start: UInt64 = 0
        var countedFrom = 0
        for _ in 0..<connections {
            StreamConnection.connect(loop: loop, host: "127.0.0.1", port: port) { [self] result in
                switch result {
                case .failure: connectionErrors += 1
                case .success(let stream):
                    let client = Client(stream: stream, generator: self)
                    clients.append(client)
                    client.start(depth: pipelineDepth)
                }
            }
        }
        let warm = try LoopTimer(loop: loop)
        let stop = try LoopTimer(loop: loop)
        warm.start(afterMilliseconds: UInt64(warmup * 1000)) { [self] in
            countedFrom = responses
            statuses = [:]
            start = EventLoop.monotonicNanoseconds()
            stop.start(afterMilliseconds: UInt64(seconds * 1000)) { [self] in
                running = false
                let elapsed = Double(EventLoop.monotonicNanoseconds() - start) / 1e9
                let counted = responses - countedFrom
                responses = counted
                for client in clients { client.stream.close() }
                warm.close()
                stop.close()
                measuredSeconds = elapsed
            }
        }
        loop.run()
        loop.close()
        return Result(responses: responses, seconds: measuredSeconds, statuses: statuses, connectionErrors: connectionErrors)
    }

    private var measuredSeconds = 0.0

    fileprivate func completed(_ client: Client, status: Int) {
        guard running else { return }
        responses += 1
        statuses[status, default: 0] += 1
        client.stream.write(request)
    }

    fileprivate final class Client {
        let stream: StreamConnection
        unowned let generator: HTTPLoadGenerator
        let framer = HTTPResponseFramer()

        init(stream: StreamConnection, generator: HTTPLoadGenerator) {
            self.stream = stream
            self.generator = generator
        }

        func start(depth: Int) {
            framer.onResponse = { [unowned self] status in generator.completed(self, status: status) }
            stream.onRead = { [self] bytes in
                if !framer.feed(bytes) {
                    generator.connectionErrors += 1
                    stream.abort()
                }
            }
            stream.onClose = { [self] _ in _ = self }
            try? stream.startReading()
            for _ in 0..<depth { stream.write(generator.request) }
        }
    }
}
