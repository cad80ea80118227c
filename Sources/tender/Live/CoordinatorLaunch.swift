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

    /// `timeScale`: wall seconds per scenario second of the storm `tender up` plays (1 for a
    /// standalone coordinator); the engine's waits are scaled to it (`EngineConfig.scaleWaits`).
    init(listen: HostPort, intake address: HostPort, db: String?, engine: EngineOptions, execution: ExecutionSettings, logger: Logger, key: PreSharedKey,
         timeScale: Double = 1) throws {
        let loop = try EventLoop()
        self.loop = loop
        var config = CoordinatorConfig()
        config.specialistHost = listen.host
        config.specialistPort = listen.port
        engine.apply(to: &config)
        config.engine.scaleWaits(by: timeScale)
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
        // One SQLite file is the system of record; without --db an in-memory database holds this
        // run's records (the executor's step log needs one), and nothing survives a restart.
        let store = try CoordinatorStore(path: db ?? SharedMemoryDatabase.newPath(), loop: loop)
        store.onWriteFailure = { failure in logger.error("store write failed", metadata: ["error": "\(failure)"]) }
        let executor = try PlanExecutor(settings: execution, loop: loop, store: store, logger: logger)
        coordinator = try Coordinator(config: config, loop: loop, store: store, key: key, logger: logger, planExecutor: executor)
        try coordinator.start()
        intake = try IntakeServer(coordinator: coordinator, loop: loop, host: address.host, port: address.port, logger: logger)
    }
}
