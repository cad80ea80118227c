import CLibUV
#if canImport(Glibc)
import Glibc
#endif

/// A child process started with `uv_spawn` from an argv array: never through a shell, so no
/// argument is ever interpreted.
public final class ChildProcess: LoopHandle {
    /// What the child's stdout or stderr is connected to.
    public enum Output {
        case inherit
        case ignore
        /// A pipe the parent reads through the `stdout`/`stderr` stream.
        case pipe
    }

    let memory = HandleMemory(uv_process_t.self)
    var process: UnsafeMutablePointer<uv_process_t> { memory.pointer(to: uv_process_t.self) }
    public let pid: Int32
    public let stdout: StreamConnection?
    public let stderr: StreamConnection?
    private var onExit: ((_ status: Int64, _ signal: Int32) -> Void)?
    public private(set) var hasExited = false

    /// Start `executable` with `arguments` (not including argv[0], which is the executable).
    /// `onExit` runs on the loop thread with the exit status and the terminating signal (0 if none).
    public init(
        loop: EventLoop, executable: String, arguments: [String], environment: [String]? = nil,
        stdout: Output = .inherit, stderr: Output = .inherit, stdinDescriptor: Int32? = nil,
        onExit: @escaping (_ status: Int64, _ signal: Int32) -> Void
    ) throws(UVError) {
        self.onExit = onExit
        // libuv learns of exits through SIGCHLD; a process that inherited it blocked (started
        // from a thread that blocks signals, as test runners do) would never see a child exit.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGCHLD)
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        let outPipe = stdout == .pipe ? try StreamConnection(loop: loop, pipe: ()) : nil
        let errPipe = stderr == .pipe ? try StreamConnection(loop: loop, pipe: ()) : nil
        self.stdout = outPipe
        self.stderr = errPipe

        var stdio = [uv_stdio_container_t](repeating: uv_stdio_container_t(), count: 3)
        // A descriptor the caller opened (a file holding the input) becomes the child's stdin.
        stdio[0].flags = stdinDescriptor == nil ? UV_IGNORE : UV_INHERIT_FD
        stdio[0].data.fd = stdinDescriptor ?? 0
        for (index, output, pipe) in [(1, stdout, outPipe), (2, stderr, errPipe)] {
            switch output {
            case .inherit:
                stdio[index].flags = UV_INHERIT_FD
                stdio[index].data.fd = Int32(index)
            case .ignore:
                stdio[index].flags = UV_IGNORE
            case .pipe:
                stdio[index].flags = uv_stdio_flags(UV_CREATE_PIPE.rawValue | UV_WRITABLE_PIPE.rawValue)
                stdio[index].data.stream = pipe!.stream
            }
        }

        let argv = ([executable] + arguments).map { strdup($0) }
        let envp = environment?.map { strdup($0) }
        defer {
            argv.forEach { free($0) }
            envp?.forEach { free($0) }
        }
        var argvNull: [UnsafeMutablePointer<CChar>?] = argv + [nil]
        var envNull: [UnsafeMutablePointer<CChar>?]? = envp.map { $0 + [nil] }

        var options = uv_process_options_t()
        options.exit_cb = { process, status, signal in
            guard let child = owner(of: process, as: ChildProcess.self) else { return }
            child.hasExited = true
            let callback = child.onExit
            child.onExit = nil
            callback?(status, signal)
            child.closeHandle()
        }
        options.stdio_count = 3
        var spawnedPID: Int32 = 0
        let loopPointer = loop.raw
        let processPointer = memory.pointer(to: uv_process_t.self)
        let result = executable.withCString { file in
            argvNull.withUnsafeMutableBufferPointer { args in
                stdio.withUnsafeMutableBufferPointer { stdioBuffer in
                    options.file = file
                    options.args = args.baseAddress
                    options.stdio = stdioBuffer.baseAddress
                    if envNull != nil {
                        return envNull!.withUnsafeMutableBufferPointer { env in
                            options.env = env.baseAddress
                            return uv_spawn(loopPointer, processPointer, &options)
                        }
                    }
                    return uv_spawn(loopPointer, processPointer, &options)
                }
            }
        }
        if result >= 0 { spawnedPID = processPointer.pointee.pid }
        pid = spawnedPID
        memory.markInitialised()
        retainWhileOpen()
        guard result >= 0 else {
            // libuv requires closing the process handle even when the spawn failed.
            self.onExit = nil
            closeHandle()
            outPipe?.abort()
            errPipe?.abort()
            throw UVError(code: result, function: "uv_spawn(\(executable))")
        }
    }

    /// Send a signal (SIGTERM, SIGKILL) to the child.
    public func kill(_ signal: Int32) throws(UVError) {
        guard !hasExited, !isClosing else { return }
        try check(uv_process_kill(process, signal), "uv_process_kill")
    }

    func handleDidClose() { onExit = nil }
}
