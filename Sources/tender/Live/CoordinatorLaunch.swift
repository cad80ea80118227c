import Logging
import TenderService
import TenderUV
import TenderWire

/// A coordinator started the way `tender coordinator` and `tender up` start one: its own loop,
/// the store (SQLite with `--db`, memory otherwise), the engine options, the specialists'
/// listener and the JSON-lines intake.
struct CoordinatorLaunch {
    let loop: EventLoop
    let coordinator: Coordinator
    let intake: IntakeServer

    init(listen: HostPort, intake address: HostPort, db: String?, engine: EngineOptions, logger: Logger, key: PreSharedKey) throws {
        let loop = try EventLoop()
        self.loop = loop
        var config = CoordinatorConfig()
        config.specialistHost = listen.host
        config.specialistPort = listen.port
        engine.apply(to: &config)
        let store: IncidentStore = try db.map { try SQLiteStore(path: $0, loop: loop) } ?? MemoryStore()
        coordinator = try Coordinator(config: config, loop: loop, store: store, executor: SimulatedExecutor(logger: logger), key: key, logger: logger)
        try coordinator.start()
        intake = try IntakeServer(coordinator: coordinator, loop: loop, host: address.host, port: address.port, logger: logger)
    }
}
