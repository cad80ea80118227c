import CLibUV

/// A libuv async handle: other threads call `wake()`, and the callback runs on the loop thread.
/// libuv coalesces wakeups, so the callback must drain whatever queue the other thread filled.
///
/// `@unchecked Sendable` because exactly one method, `wake()`, is called from other threads, and
/// `uv_async_send` is documented as thread-safe; everything else stays on the loop thread.
public final class LoopWakeup: LoopHandle, @unchecked Sendable {
    let memory = HandleMemory(uv_async_t.self)
    var async: UnsafeMutablePointer<uv_async_t> { memory.pointer(to: uv_async_t.self) }
    private var callback: (() -> Void)?

    public init(loop: EventLoop, _ callback: @escaping () -> Void) throws(UVError) {
        self.callback = callback
        try memory.initialised(uv_async_init(loop.raw, async) { handle in
            owner(of: handle, as: LoopWakeup.self)?.callback?()
        }, "uv_async_init")
        retainWhileOpen()
    }

    /// Thread-safe: schedule the callback on the loop thread. The caller must not wake a
    /// wakeup it has closed (libuv's rule for `uv_async_send`).
    public func wake() { uv_async_send(async) }

    /// Let the loop exit while this wakeup is open (for one that lives as long as the process).
    public func unref() { unreferenceHandle() }

    public func close() { closeHandle() }

    func handleDidClose() { callback = nil }
}
