import CLibUV

/// One libuv loop and the thread that runs it.
///
/// Single-thread rule: every method here and on the handles made from this loop is called on the
/// loop thread only (the thread inside `run()`), except `LoopWakeup.wake()`. That is what lets
/// the coordinator keep the engine's state without locks.
///
/// Writes are batched per loop turn: a stream's `write` only appends to its outbox and marks it
/// dirty; the loop flushes every dirty stream once, right after the I/O callbacks of the turn
/// (check phase) and again before it next blocks (prepare phase), so many small frames produced
/// by one event go out in one system call.
public final class EventLoop {
    let raw: UnsafeMutablePointer<uv_loop_t>
    private let prepare: UnsafeMutablePointer<uv_prepare_t>
    private let checkHandle: UnsafeMutablePointer<uv_check_t>
    private var dirty: [StreamConnection] = []
    /// One read buffer for every stream: reads are consumed synchronously in their callback.
    let readBuffer = UnsafeMutableRawPointer.allocate(byteCount: EventLoop.readBufferSize, alignment: 16)
    static let readBufferSize = 256 * 1024
    private var closed = false

    public init() throws(UVError) {
        raw = allocateZeroed(uv_loop_t.self)
        prepare = allocateZeroed(uv_prepare_t.self)
        checkHandle = allocateZeroed(uv_check_t.self)
        let result = uv_loop_init(raw)
        guard result >= 0 else {
            UnsafeMutableRawPointer(raw).deallocate()
            throw UVError(code: result, function: "uv_loop_init")
        }
        raw.pointee.data = Unmanaged.passUnretained(self).toOpaque()
        uv_prepare_init(raw, prepare)
        uv_check_init(raw, checkHandle)
        uv_prepare_start(prepare) { handle in
            EventLoop.of(handle?.pointee.loop)?.flushDirtyStreams()
        }
        uv_check_start(checkHandle) { handle in
            EventLoop.of(handle?.pointee.loop)?.flushDirtyStreams()
        }
        // The flushers must not keep the loop alive on their own.
        uv_unref(handleCast(prepare, to: uv_handle_t.self))
        uv_unref(handleCast(checkHandle, to: uv_handle_t.self))
    }

    deinit {
        close()
        readBuffer.deallocate()
    }

    static func of(_ loop: UnsafeMutablePointer<uv_loop_t>?) -> EventLoop? {
        guard let data = loop?.pointee.data else { return nil }
        return Unmanaged<EventLoop>.fromOpaque(data).takeUnretainedValue()
    }

    /// Run until there is nothing left to do (no referenced open handles or requests) or `stop()`.
    public func run() {
        repeat {
            uv_run(raw, UV_RUN_DEFAULT)
        } while flushDirtyStreams() && raw.pointee.stop_flag == 0
    }

    /// Run one non-blocking turn; for tests that step the loop.
    @discardableResult
    public func runOnce() -> Bool {
        uv_run(raw, UV_RUN_NOWAIT) != 0
    }

    /// Make `run()` return after the current turn.
    public func stop() { uv_stop(raw) }

    /// Monotonic time in nanoseconds (`uv_hrtime`), independent of the loop's cached time.
    public static func monotonicNanoseconds() -> UInt64 { uv_hrtime() }

    /// Monotonic seconds as a Double; what the coordinator turns into engine instants.
    public static func monotonicSeconds() -> Double { Double(uv_hrtime()) / 1e9 }

    /// The loop's cached millisecond clock, updated at the start of each turn.
    public var nowMilliseconds: UInt64 { uv_now(raw) }

    func markDirty(_ stream: StreamConnection) {
        dirty.append(stream)
    }

    /// Flush every stream written to since the last flush; true when anything was flushed.
    @discardableResult
    func flushDirtyStreams() -> Bool {
        guard !dirty.isEmpty else { return false }
        let streams = dirty
        dirty.removeAll(keepingCapacity: true)
        for stream in streams { stream.flush() }
        return true
    }

    /// Close every handle still open, let their callbacks run, and release the loop.
    /// Safe to call twice; called by deinit.
    public func close() {
        guard !closed else { return }
        closed = true
        flushDirtyStreams()
        // Wrappers still open are closed through the shared callback, which drops the loop's
        // reference to them; the loop's own flushers (data == nil) are freed below.
        uv_walk(raw, { handle, _ in
            guard let handle, uv_is_closing(handle) == 0 else { return }
            uv_close(handle, handle.pointee.data == nil ? nil : handleCloseCallback)
        }, nil)
        uv_run(raw, UV_RUN_DEFAULT)
        uv_loop_close(raw)
        UnsafeMutableRawPointer(prepare).deallocate()
        UnsafeMutableRawPointer(checkHandle).deallocate()
        UnsafeMutableRawPointer(raw).deallocate()
    }
}
