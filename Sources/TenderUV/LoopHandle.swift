import CLibUV

/// What every wrapper of a libuv handle shares: the handle's memory, and a way to hear that
/// libuv has finished closing it.
///
/// Lifetime rule: while a handle is open, libuv holds a strong reference to its wrapper through
/// `handle->data`, so a wrapper can never be freed under a pending callback. `close()` is the one
/// deterministic way to release it; the reference is dropped in the close callback, after libuv
/// is done with the memory.
protocol LoopHandle: AnyObject {
    /// The handle's memory, viewed as the generic `uv_handle_t`.
    var rawHandle: UnsafeMutablePointer<uv_handle_t> { get }
    /// Called once libuv has closed the handle; frees nothing but the wrapper's own state.
    func handleDidClose()
}

extension LoopHandle {
    /// Make libuv's callbacks able to find this wrapper, and keep it alive until closed.
    func retainWhileOpen() {
        rawHandle.pointee.data = Unmanaged.passRetained(self as AnyObject).toOpaque()
    }

    var isClosing: Bool { uv_is_closing(rawHandle) != 0 }

    /// Start closing the handle; idempotent.
    func closeHandle() {
        guard !isClosing else { return }
        uv_close(rawHandle, handleCloseCallback)
    }

    func unreferenceHandle() { uv_unref(rawHandle) }
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
    UnsafeMutableRawPointer(handle).deallocate()
}
