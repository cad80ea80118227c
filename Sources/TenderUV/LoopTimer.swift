import CLibUV

/// A libuv timer. Fires its callback on the loop thread after a delay, optionally repeating.
public final class LoopTimer: LoopHandle {
    let memory = HandleMemory(uv_timer_t.self)
    var timer: UnsafeMutablePointer<uv_timer_t> { memory.pointer(to: uv_timer_t.self) }
    private var callback: (() -> Void)?

    public init(loop: EventLoop) throws(UVError) {
        try memory.initialised(uv_timer_init(loop.raw, timer), "uv_timer_init")
        retainWhileOpen()
    }

    /// (Re)start: call `callback` after `milliseconds`, then every `repeatMilliseconds` if nonzero.
    public func start(afterMilliseconds milliseconds: UInt64, repeatMilliseconds: UInt64 = 0, _ callback: @escaping () -> Void) {
        guard !isClosing else { return }
        self.callback = callback
        uv_timer_start(timer, { handle in
            owner(of: handle, as: LoopTimer.self)?.callback?()
        }, milliseconds, repeatMilliseconds)
    }

    public func stop() {
        guard !isClosing else { return }
        uv_timer_stop(timer)
    }

    /// Let the loop exit even while this timer is armed (for housekeeping timers).
    public func unref() { unreferenceHandle() }

    public func close() { closeHandle() }

    func handleDidClose() { callback = nil }
}
