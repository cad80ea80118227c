import CLibUV

/// A listening TCP socket. Each accepted connection is handed to `onConnection`, already open
/// and with TCP_NODELAY set; the receiver sets its callbacks and starts reading.
public final class TCPServer: LoopHandle {
    unowned let loop: EventLoop
    let memory = HandleMemory(uv_tcp_t.self)
    var tcp: UnsafeMutablePointer<uv_tcp_t> { memory.pointer(to: uv_tcp_t.self) }
    private var onConnection: ((StreamConnection) -> Void)?
    /// Accept errors are reported here and otherwise ignored; the server keeps listening.
    public var onAcceptError: ((UVError) -> Void)?
    /// The bound port (useful after binding port 0).
    public private(set) var port: Int = 0

    public init(loop: EventLoop, host: String, port: Int, backlog: Int32 = 1024, onConnection: @escaping (StreamConnection) -> Void) throws(UVError) {
        self.loop = loop
        self.onConnection = onConnection
        try memory.initialised(uv_tcp_init(loop.raw, tcp), "uv_tcp_init")
        retainWhileOpen()
        do {
            var address = try socketAddress(host: host, port: port)
            _ = try withUnsafePointer(to: &address) { pointer throws(UVError) in
                try check(uv_tcp_bind(tcp, UnsafeRawPointer(pointer).assumingMemoryBound(to: sockaddr.self), 0), "uv_tcp_bind")
            }
            try check(uv_listen(handleCast(tcp, to: uv_stream_t.self), backlog) { server, status in
                guard let listener = owner(of: server, as: TCPServer.self) else { return }
                listener.accept(status: status)
            }, "uv_listen")
            self.port = try boundPort()
        } catch {
            closeHandle()
            throw error
        }
    }

    private func accept(status: Int32) {
        guard status >= 0 else {
            onAcceptError?(UVError(code: status, function: "uv_listen"))
            return
        }
        do {
            let client = try StreamConnection(loop: loop, tcp: ())
            let result = uv_accept(handleCast(tcp, to: uv_stream_t.self), client.stream)
            guard result >= 0 else {
                client.abort()
                onAcceptError?(UVError(code: result, function: "uv_accept"))
                return
            }
            uv_tcp_nodelay(handleCast(client.stream, to: uv_tcp_t.self), 1)
            client.label = client.peerAddress ?? "tcp"
            onConnection?(client)
        } catch {
            onAcceptError?(error)
        }
    }

    private func boundPort() throws(UVError) -> Int {
        var storage = sockaddr_storage()
        var length = Int32(MemoryLayout<sockaddr_storage>.size)
        _ = try withUnsafeMutablePointer(to: &storage) { pointer throws(UVError) in
            try check(uv_tcp_getsockname(tcp, UnsafeMutableRawPointer(pointer).assumingMemoryBound(to: sockaddr.self), &length), "uv_tcp_getsockname")
        }
        return portOf(storage)
    }

    /// Stop listening; connections already accepted stay open.
    public func close() { closeHandle() }

    func handleDidClose() { onConnection = nil }
}

extension StreamConnection {
    /// Connect to `host:port`; the completion runs on the loop thread with an open connection
    /// (TCP_NODELAY set) or the error that prevented it.
    public static func connect(loop: EventLoop, host: String, port: Int, _ completion: @escaping (Result<StreamConnection, UVError>) -> Void) {
        let connection: StreamConnection
        var address: sockaddr_storage
        do {
            connection = try StreamConnection(loop: loop, tcp: ())
            address = try socketAddress(host: host, port: port)
        } catch {
            completion(.failure(error))
            return
        }
        final class Pending {
            let connection: StreamConnection
            let completion: (Result<StreamConnection, UVError>) -> Void
            init(_ connection: StreamConnection, _ completion: @escaping (Result<StreamConnection, UVError>) -> Void) {
                self.connection = connection
                self.completion = completion
            }
        }
        let request = allocateZeroed(uv_connect_t.self)
        request.pointee.data = Unmanaged.passRetained(Pending(connection, completion)).toOpaque()
        let tcp = handleCast(connection.stream, to: uv_tcp_t.self)
        let result = withUnsafePointer(to: &address) { pointer in
            uv_tcp_connect(request, tcp, UnsafeRawPointer(pointer).assumingMemoryBound(to: sockaddr.self)) { request, status in
                guard let request else { return }
                let pending = Unmanaged<Pending>.fromOpaque(request.pointee.data!).takeRetainedValue()
                UnsafeMutableRawPointer(request).deallocate()
                if status < 0 {
                    pending.connection.abort()
                    pending.completion(.failure(UVError(code: status, function: "uv_tcp_connect")))
                } else {
                    uv_tcp_nodelay(handleCast(pending.connection.stream, to: uv_tcp_t.self), 1)
                    pending.connection.label = pending.connection.peerAddress ?? "tcp"
                    pending.completion(.success(pending.connection))
                }
            }
        }
        if result < 0 {
            Unmanaged<Pending>.fromOpaque(request.pointee.data!).release()
            UnsafeMutableRawPointer(request).deallocate()
            connection.abort()
            completion(.failure(UVError(code: result, function: "uv_tcp_connect")))
        }
    }

    /// "host:port" of the TCP peer, or nil for pipes and closed sockets.
    public var peerAddress: String? {
        guard stream.pointee.type == UV_TCP else { return nil }
        var storage = sockaddr_storage()
        var length = Int32(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) { pointer in
            uv_tcp_getpeername(handleCast(stream, to: uv_tcp_t.self), UnsafeMutableRawPointer(pointer).assumingMemoryBound(to: sockaddr.self), &length)
        }
        guard result >= 0 else { return nil }
        var name = [CChar](repeating: 0, count: 64)
        let family = storage.ss_family
        withUnsafePointer(to: &storage) { pointer in
            let address = UnsafeRawPointer(pointer)
            if family == sa_family_t(AF_INET6) {
                _ = uv_ip6_name(address.assumingMemoryBound(to: sockaddr_in6.self), &name, name.count)
            } else {
                _ = uv_ip4_name(address.assumingMemoryBound(to: sockaddr_in.self), &name, name.count)
            }
        }
        return "\(String(cString: name)):\(portOf(storage))"
    }
}

/// Parse an IPv4 or IPv6 literal; host names are not resolved (servers bind to literals).
func socketAddress(host: String, port: Int) throws(UVError) -> sockaddr_storage {
    var storage = sockaddr_storage()
    let result = withUnsafeMutablePointer(to: &storage) { pointer -> Int32 in
        let raw = UnsafeMutableRawPointer(pointer)
        if host.contains(":") {
            return uv_ip6_addr(host, Int32(port), raw.assumingMemoryBound(to: sockaddr_in6.self))
        }
        return uv_ip4_addr(host == "localhost" ? "127.0.0.1" : host, Int32(port), raw.assumingMemoryBound(to: sockaddr_in.self))
    }
    guard result >= 0 else { throw UVError(code: result, function: "uv_ip_addr(\(host))") }
    return storage
}

func portOf(_ storage: sockaddr_storage) -> Int {
    var storage = storage
    let family = storage.ss_family
    return withUnsafePointer(to: &storage) { pointer in
        let raw = UnsafeRawPointer(pointer)
        if family == sa_family_t(AF_INET6) {
            return Int(UInt16(bigEndian: raw.assumingMemoryBound(to: sockaddr_in6.self).pointee.sin6_port))
        }
        return Int(UInt16(bigEndian: raw.assumingMemoryBound(to: sockaddr_in.self).pointee.sin_port))
    }
}
