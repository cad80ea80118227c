import Foundation
import TenderStore
import TenderUV

/// Wires a `StoreWriter` to a libuv loop: the writer thread's `notify` wakes an async handle, and
/// the loop thread delivers the completions. Create it, create the writer with
/// `notify: bridge.notify`, then `attach` before the first submission. `close` may come while
/// the writer still commits: the lock makes a late `notify` a no-op instead of a wake of a
/// closed handle.
public final class StoreLoopBridge: @unchecked Sendable {
    private let lock = NSLock()
    private var wakeup: LoopWakeup?

    public init() {}

    /// Writer thread: schedule delivery on the loop.
    public func notify() {
        lock.lock()
        wakeup?.wake()
        lock.unlock()
    }

    /// `keepsLoopAlive: false` lets the loop exit while the store is idle.
    public func attach(to loop: EventLoop, writer: StoreWriter, keepsLoopAlive: Bool = true) throws {
        let wakeup = try LoopWakeup(loop: loop) { [unowned writer] in writer.deliverCompletions() }
        if !keepsLoopAlive { wakeup.unref() }
        lock.lock()
        self.wakeup = wakeup
        lock.unlock()
    }

    /// Loop thread.
    public func close() {
        lock.lock()
        let closing = wakeup
        wakeup = nil
        lock.unlock()
        closing?.close()
    }
}
