import Logging
@testable import TenderService
import TenderStore
import TenderUV

/// A real coordinator in process for tests that drive it by hand: its loop never runs, its
/// store is an in-memory database whose writer the test drains (`store.writer.drain()`), and no
/// specialist listener is opened.
struct InProcessCoordinator {
    let loop: EventLoop
    let store: CoordinatorStore
    let coordinator: Coordinator

    init(_ configure: (inout CoordinatorConfig) -> Void = { _ in }) throws {
        loop = try EventLoop()
        store = try CoordinatorStore(path: SharedMemoryDatabase.newPath(), loop: loop)
        var config = CoordinatorConfig()
        config.specialistPort = 0
        configure(&config)
        coordinator = try Coordinator(config: config, loop: loop, store: store, key: .development, logger: Logger(label: "test"))
    }
}
