import CLibUV

/// A libuv timer. Fires its callback on the loop thread after a delay, optionally repeating.
public final class LoopTimer: LoopHandle {
    let timer: UnsafeMutablePointer<uv_timer_t>
    var rawHandle: UnsafeMutablePointer<uv_handle_t> { handleCast(timer, to: uv_handle_t.self) }
    private var callback: (() -> Void)?

    public init(loop: EventLoop) throws(UVError) {
        timer = allocateZeroed(uv_timer_t.self)
        let result = uv_timer_init(loop.raw, timer)
        guard result >= 0 else {
            UnsafeMutableRawPointer(timer).deallocate()
            throw UVError(code: result, function: "uv_timer_init")
        }
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
