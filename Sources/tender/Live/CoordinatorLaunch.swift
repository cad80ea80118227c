import Foundation
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

    /// The store file made for a run without `--db` (the executor's step log needs one); removed by `removeTemporaryStore()`.
    let temporaryStore: String?

    init(listen: HostPort, intake address: HostPort, db: String?, engine: EngineOptions, execution: ExecutionSettings, logger: Logger, key: PreSharedKey) throws {
        let loop = try EventLoop()
        self.loop = loop
        var config = CoordinatorConfig()
        config.specialistHost = listen.host
        config.specialistPort = listen.port
        engine.apply(to: &config)
        // Both listeners share the descriptor budget; intake is fitted below it so that
        // specialists can always connect.
        var limit = rlimit()
        if getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max {
            let fitted = config.connections.fitted(toDescriptorLimit: Int(clamping: limit.rlim_cur))
            if fitted.maxIntakeConnections < config.connections.maxIntakeConnections {
                logger.notice("intake connections limited by the descriptor limit", metadata: ["descriptors": "\(limit.rlim_cur)", "max_intake_connections": "\(fitted.maxIntakeConnections)", "reserved_for_specialists": "\(config.connections.specialistReserve)"])
            }
            config.connections = fitted
        }
        // One SQLite file is the system of record; without --db a temporary one holds this run's
        // step log, and nothing survives a restart.
        temporaryStore = db == nil ? NSTemporaryDirectory() + "tender-\(getpid())-\(UUID().uuidString).db" : nil
        let store = try CoordinatorStore(path: db ?? temporaryStore!, loop: loop)
        store.onWriteFailure = { failure in logger.error("store write failed", metadata: ["error": "\(failure)"]) }
        let executor = try PlanExecutor(settings: execution, loop: loop, store: store, logger: logger)
        coordinator = try Coordinator(config: config, loop: loop, store: store, executor: SimulatedExecutor(logger: logger), key: key, logger: logger, planExecutor: executor)
        try coordinator.start()
        intake = try IntakeServer(coordinator: coordinator, loop: loop, host: address.host, port: address.port, logger: logger)
    }

    func removeTemporaryStore() {
        guard let temporaryStore else { return }
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: temporaryStore + suffix) }
    }
}
