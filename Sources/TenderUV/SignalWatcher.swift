import CLibUV
#if canImport(Glibc)
import Glibc
#endif

/// Delivers a POSIX signal (SIGINT, SIGTERM) to a callback on the loop thread.
public final class SignalWatcher: LoopHandle {
    let memory = HandleMemory(uv_signal_t.self)
    var signal: UnsafeMutablePointer<uv_signal_t> { memory.pointer(to: uv_signal_t.self) }
    private var callback: ((Int32) -> Void)?

    public init(loop: EventLoop, signal number: Int32, _ callback: @escaping (Int32) -> Void) throws(UVError) {
        self.callback = callback
        try memory.initialised(uv_signal_init(loop.raw, signal), "uv_signal_init")
        retainWhileOpen()
        // A process may inherit the signal blocked (spawned from a thread that blocks it, as
        // test runners do); it would then never be delivered, so unblock it on this thread.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, number)
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        do {
            try check(uv_signal_start(signal, { handle, number in
                owner(of: handle, as: SignalWatcher.self)?.callback?(number)
            }, number), "uv_signal_start")
        } catch {
            closeHandle()
            throw error
        }
    }

    /// A signal watcher alone should not keep a finished process running.
    public func unref() { unreferenceHandle() }

    public func close() { closeHandle() }

    func handleDidClose() { callback = nil }
}
