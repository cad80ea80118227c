import CLibUV

/// What every wrapper of a libuv handle shares: the handle's memory, and a way to hear that
/// libuv has finished closing it.
///
/// Lifetime rules:
/// - While a handle is open, libuv holds a strong reference to its wrapper through
///   `handle->data`, so a wrapper can never be freed under a pending callback. `close()` is the
///   one deterministic way to release it; the reference is dropped in the close callback.
/// - The handle's memory belongs to the wrapper (`HandleMemory`) and is freed with it, never in
///   the close callback. So `close()` stays safe to call any number of times, before or after
///   libuv finished closing, even after the loop itself was closed: it only ever reads the
///   wrapper's own memory, where libuv left the handle marked closed. Freeing in the close
///   callback made a second `close()` read freed memory, and `uv_close` whatever handle had
///   been allocated there since (the SIGSEGV of `tender up` on a late Ctrl-C).
/// - No callback of a wrapper runs after its close callback: `handleDidClose` drops them, and
///   libuv delivers nothing to a closing handle but cancelled writes and the close itself.
protocol LoopHandle: AnyObject {
    /// The memory of the libuv handle this wrapper owns.
    var memory: HandleMemory { get }
    /// Called once libuv has closed the handle; frees nothing but the wrapper's own state.
    func handleDidClose()
}

extension LoopHandle {
    /// The handle's memory, viewed as the generic `uv_handle_t`.
    var rawHandle: UnsafeMutablePointer<uv_handle_t> { memory.pointer(to: uv_handle_t.self) }

    /// Make libuv's callbacks able to find this wrapper, and keep it alive until closed.
    func retainWhileOpen() {
        rawHandle.pointee.data = Unmanaged.passRetained(self as AnyObject).toOpaque()
    }

    /// Closing or already closed (libuv marks both in the handle's flags, which stay readable
    /// because the memory lives as long as the wrapper).
    var isClosing: Bool { !memory.isInitialised || uv_is_closing(rawHandle) != 0 }

    /// Start closing the handle; idempotent, and a no-op once closed.
    func closeHandle() {
        guard !isClosing else { return }
        uv_close(rawHandle, handleCloseCallback)
    }

    func unreferenceHandle() { uv_unref(rawHandle) }
}

/// The memory of one libuv handle, zeroed, owned by the handle's wrapper and freed with it.
///
/// `isInitialised` is false until the handle's `uv_*_init` succeeded: a handle whose init failed
/// was never registered with the loop and must not be closed.
final class HandleMemory {
    private let raw: UnsafeMutableRawPointer
    private(set) var isInitialised = false

    init<T>(_ type: T.Type) {
        raw = UnsafeMutableRawPointer(allocateZeroed(type))
    }

    func pointer<T>(to type: T.Type) -> UnsafeMutablePointer<T> {
        raw.assumingMemoryBound(to: type)
    }

    /// Record the result of the handle's `uv_*_init`; throw it as a `UVError` if it failed.
    func initialised(_ result: Int32, _ function: StaticString) throws(UVError) {
        try check(result, function)
        isInitialised = true
    }

    /// For `uv_spawn`, which registers the handle (to be closed) even when it fails.
    func markInitialised() { isInitialised = true }

    deinit { raw.deallocate() }
}

/// Memory for one libuv handle or request, zeroed, sized and aligned for `T`.
func allocateZeroed<T>(_ type: T.Type) -> UnsafeMutablePointer<T> {
    let raw = UnsafeMutableRawPointer.allocate(byteCount: MemoryLayout<T>.size, alignment: max(MemoryLayout<T>.alignment, 16))
    raw.initializeMemory(as: UInt8.self, repeating: 0, count: MemoryLayout<T>.size)
    return raw.bindMemory(to: T.self, capacity: 1)
}

/// View a specific handle type as another libuv handle type it begins with (C "inheritance").
@inline(__always)
func handleCast<From, To>(_ pointer: UnsafeMutablePointer<From>, to: To.Type) -> UnsafeMutablePointer<To> {
    UnsafeMutablePointer<To>(OpaquePointer(pointer))
}

/// The wrapper registered on a handle, without touching its reference count.
@inline(__always)
func owner<T: AnyObject>(of handle: UnsafeMutableRawPointer?, as: T.Type) -> T? {
    guard let data = handle?.assumingMemoryBound(to: uv_handle_t.self).pointee.data else { return nil }
    return Unmanaged<T>.fromOpaque(data).takeUnretainedValue()
}

let handleCloseCallback: uv_close_cb = { handle in
    guard let handle else { return }
    if let data = handle.pointee.data {
        let wrapper = Unmanaged<AnyObject>.fromOpaque(data).takeRetainedValue()
        handle.pointee.data = nil
        (wrapper as? LoopHandle)?.handleDidClose()
    }
    // The memory is the wrapper's (`HandleMemory`): it is freed when the last reference to the
    // wrapper goes, possibly at the end of this callback, after which libuv never touches it.
}
