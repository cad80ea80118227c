import Glibc

/// Counts heap allocations for `tender bench simulate`.
///
/// glibc keeps no count of malloc calls (`mallinfo2` reports bytes in use, which a malloc/free
/// pair per event would leave unchanged), so the count comes from a counting allocator preloaded
/// into the process: any `LD_PRELOAD` library that wraps malloc, calloc, realloc and the aligned
/// allocators and exports a 64-bit counter named `tender_malloc_calls`. Without one the
/// benchmark reports no allocation figure rather than a guess.
enum AllocationProbe {
    nonisolated(unsafe) private static let counter: UnsafePointer<UInt64>? =
        dlsym(nil, "tender_malloc_calls").map { UnsafePointer($0.assumingMemoryBound(to: UInt64.self)) }

    /// Whether a counting allocator is preloaded.
    static var isAvailable: Bool { counter != nil }

    /// Allocation calls so far, if counted.
    static var calls: UInt64? { counter?.pointee }
}
