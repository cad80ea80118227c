import CLibUV
#if canImport(Glibc)
import Glibc
#endif

/// Delivers a POSIX signal (SIGINT, SIGTERM) to a callback on the loop thread.
public final class SignalWatcher: LoopHandle {
    let memory = HandleMemory(uv_signal_t.self)
    var signal: UnsafeMutablePointer<uv_signal_t> { memory.pointer(to: uv_signal_t.self) }
    private var callback: ((Int32) -> Void)?
    private let number: Int32

    public init(loop: EventLoop, signal number: Int32, _ callback: @escaping (Int32) -> Void) throws(UVError) {
        self.callback = callback
        self.number = number
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

    /// Close, and ignore the signal from now on. Closing the last watcher of a signal gives it
    /// back its default action, which for SIGINT and SIGTERM kills the process: a late Ctrl-C
    /// would then cut short a shutdown that is already printing its summary.
    public func closeIgnoringLaterSignals() {
        closeHandle()
        Glibc.signal(number, SIG_IGN)
    }

    func handleDidClose() { callback = nil }
}
