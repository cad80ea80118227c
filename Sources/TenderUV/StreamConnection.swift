import CLibUV

/// A byte stream on the loop: a TCP connection or a pipe (a child's stdout).
///
/// Reading delivers whatever bytes arrived to `onRead`, borrowed from the loop's shared buffer
/// for the duration of the call. Writing appends to an outbox that the loop flushes once per turn
/// (see `EventLoop`), first with `uv_try_write` and only the remainder through a queued
/// `uv_write`, so the common case copies nothing.
///
/// `onClose` is called exactly once, after libuv has closed the handle: with nil after an orderly
/// end (EOF, or a local `close()`), with the error otherwise.
public final class StreamConnection: LoopHandle {
    unowned let loop: EventLoop
    let memory: HandleMemory
    var stream: UnsafeMutablePointer<uv_stream_t> { memory.pointer(to: uv_stream_t.self) }

    public var onRead: ((UnsafeRawBufferPointer) -> Void)?
    public var onClose: ((UVError?) -> Void)?
    /// A name for log lines (peer address, process name); set by whoever owns the stream.
    public var label: String = ""

    private var outbox: [UInt8] = []
    private var isDirty = false
    /// Bytes handed to `uv_write` whose completion has not been reported yet.
    public private(set) var bytesInFlight = 0
    private var endReason: UVError?
    private var shuttingDown = false

    init(loop: EventLoop, tcp: Void) throws(UVError) {
        self.loop = loop
        memory = HandleMemory(uv_tcp_t.self)
        try memory.initialised(uv_tcp_init(loop.raw, memory.pointer(to: uv_tcp_t.self)), "uv_tcp_init")
        retainWhileOpen()
    }

    init(loop: EventLoop, pipe: Void) throws(UVError) {
        self.loop = loop
        memory = HandleMemory(uv_pipe_t.self)
        try memory.initialised(uv_pipe_init(loop.raw, memory.pointer(to: uv_pipe_t.self), 0), "uv_pipe_init")
        retainWhileOpen()
    }

    /// Bytes written but not yet accepted by the kernel: the measure for write backpressure.
    public var pendingWriteBytes: Int { outbox.count + bytesInFlight }

    public var isOpen: Bool { !isClosing && !shuttingDown }

    // MARK: Reading

    public func startReading() throws(UVError) {
        try check(uv_read_start(stream, { handle, _, buffer in
            guard let loop = EventLoop.of(handle?.pointee.loop) else { return }
            buffer?.pointee = uv_buf_init(loop.readBuffer.assumingMemoryBound(to: CChar.self), UInt32(EventLoop.readBufferSize))
        }, { stream, count, buffer in
            guard let connection = owner(of: stream, as: StreamConnection.self) else { return }
            if count > 0, let base = buffer?.pointee.base {
                connection.onRead?(UnsafeRawBufferPointer(start: base, count: count))
            } else if count < 0 {
                connection.end(UVError(code: Int32(count), function: "uv_read"))
            }
        }), "uv_read_start")
    }

    /// Stop delivering reads (backpressure); the kernel buffers and then pushes back on the peer.
    public func stopReading() {
        guard !isClosing else { return }
        uv_read_stop(stream)
    }

    // MARK: Writing

    /// Queue bytes; they go out when the loop flushes this turn's writes.
    public func write(_ bytes: UnsafeRawBufferPointer) {
        guard isOpen else { return }
        outbox.append(contentsOf: bytes)
        scheduleFlush()
    }

    public func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { write($0) }
    }

    public func write(_ text: String) {
        var text = text
        text.withUTF8 { write(UnsafeRawBufferPointer($0)) }
    }

    /// Let an encoder append directly to the outbox, avoiding an intermediate buffer.
    public func write(appending body: (inout [UInt8]) -> Void) {
        guard isOpen else { return }
        body(&outbox)
        scheduleFlush()
    }

    private func scheduleFlush() {
        guard !isDirty else { return }
        isDirty = true
        loop.markDirty(self)
    }

    func flush() {
        isDirty = false
        guard !outbox.isEmpty, !isClosing else { return }
        var written = 0
        if bytesInFlight == 0 {
            let result = outbox.withUnsafeMutableBytes { bytes -> Int32 in
                var buffer = uv_buf_init(bytes.baseAddress!.assumingMemoryBound(to: CChar.self), UInt32(bytes.count))
                return uv_try_write(stream, &buffer, 1)
            }
            if result >= 0 {
                written = Int(result)
            } else if result != UV_EAGAIN.rawValue {
                end(UVError(code: result, function: "uv_try_write"))
                return
            }
        }
        if written < outbox.count {
            queueWrite(outbox[written...])
        }
        outbox.removeAll(keepingCapacity: outbox.capacity <= 1 << 20)
    }

    /// Copy what the kernel did not take into a buffer that lives until libuv reports the write.
    private func queueWrite(_ remainder: ArraySlice<UInt8>) {
        let count = remainder.count
        let header = MemoryLayout<Int>.stride
        let block = UnsafeMutableRawPointer.allocate(byteCount: header + count, alignment: 16)
        block.storeBytes(of: count, as: Int.self)
        remainder.withUnsafeBytes { (block + header).copyMemory(from: $0.baseAddress!, byteCount: count) }
        let request = allocateZeroed(uv_write_t.self)
        request.pointee.data = block
        var buffer = uv_buf_init((block + header).assumingMemoryBound(to: CChar.self), UInt32(count))
        let result = uv_write(request, stream, &buffer, 1) { request, status in
            guard let request else { return }
            let block = request.pointee.data!
            let count = block.load(as: Int.self)
            let connection = owner(of: request.pointee.handle, as: StreamConnection.self)
            block.deallocate()
            UnsafeMutableRawPointer(request).deallocate()
            guard let connection else { return }
            connection.bytesInFlight -= count
            if status < 0, status != UV_ECANCELED.rawValue {
                connection.end(UVError(code: status, function: "uv_write"))
            }
        }
        if result < 0 {
            block.deallocate()
            UnsafeMutableRawPointer(request).deallocate()
            end(UVError(code: result, function: "uv_write"))
            return
        }
        bytesInFlight += count
    }

    // MARK: Closing

    /// Close after everything written so far has gone out (graceful: flush, then shut down).
    public func close() {
        guard isOpen else { return }
        flush()
        guard bytesInFlight > 0 else {
            closeHandle()
            return
        }
        shuttingDown = true
        uv_read_stop(stream)
        let request = allocateZeroed(uv_shutdown_t.self)
        let result = uv_shutdown(request, stream) { request, _ in
            guard let request else { return }
            let connection = owner(of: request.pointee.handle, as: StreamConnection.self)
            UnsafeMutableRawPointer(request).deallocate()
            connection?.closeHandle()
        }
        if result < 0 {
            UnsafeMutableRawPointer(request).deallocate()
            closeHandle()
        }
    }

    /// Close at once, dropping unsent bytes (a peer that broke the protocol, a dead peer).
    public func abort() {
        outbox.removeAll()
        closeHandle()
    }

    /// The stream ended on its own: EOF (orderly, reported as nil) or an error.
    private func end(_ error: UVError) {
        if endReason == nil, !error.isEndOfFile { endReason = error }
        outbox.removeAll()
        closeHandle()
    }

    func handleDidClose() {
        onRead = nil
        let callback = onClose
        onClose = nil
        callback?(endReason)
    }
}
