/// The simulator's agenda, SimPy-style: a binary min-heap of `(time, priority, sequence, event)`.
/// The sequence number, assigned at scheduling, makes events at the same time and priority run in
/// the order they were scheduled, so a seed replays a run exactly.
///
/// Hand-written rather than `HeapModule.Heap` because it is the innermost loop of the simulator:
/// the key compares as one tuple of plain numbers, and the storage is reused for the whole run.
public struct EventQueue<Event> {
    @usableFromInline
    struct Entry {
        @usableFromInline var time: Double
        /// Priority in the high byte, sequence below: one integer compare breaks time ties.
        @usableFromInline var order: UInt64
        @usableFromInline var event: Event

        @inlinable
        init(time: Double, order: UInt64, event: Event) {
            self.time = time
            self.order = order
            self.event = event
        }

        @inlinable @inline(__always)
        static func precedes(_ a: Entry, _ b: Entry) -> Bool {
            a.time < b.time || (a.time == b.time && a.order < b.order)
        }
    }

    @usableFromInline var entries: [Entry] = []
    @usableFromInline var sequence: UInt64 = 0

    public init() {}

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }
    /// The time of the next event, if any.
    public var nextTime: Double? { entries.first?.time }

    /// Schedule `event` at `time`; among events at the same time, lower `priority` runs first,
    /// then earlier scheduling.
    @inlinable
    public mutating func schedule(_ event: Event, at time: Double, priority: UInt8) {
        let order = UInt64(priority) << 56 | (sequence & 0x00FF_FFFF_FFFF_FFFF)
        sequence &+= 1
        entries.append(Entry(time: time, order: order, event: event))
        siftUp(entries.count - 1)
    }

    /// Remove and return the earliest event.
    @inlinable
    public mutating func pop() -> (time: Double, event: Event)? {
        guard let last = entries.popLast() else { return nil }
        guard !entries.isEmpty else { return (last.time, last.event) }
        return entries.withUnsafeMutableBufferPointer { heap in
            let first = heap[0]
            Self.siftDown(last, from: 0, in: heap)
            return (first.time, first.event)
        }
    }

    // The sifts work on the buffer directly: through the array, every store would check the
    // buffer's uniqueness again (a runtime call) and its bounds.

    @inlinable
    mutating func siftUp(_ start: Int) {
        entries.withUnsafeMutableBufferPointer { heap in
            var child = start
            let moving = heap[child]
            while child > 0 {
                let parent = (child - 1) >> 1
                guard Entry.precedes(moving, heap[parent]) else { break }
                heap[child] = heap[parent]
                child = parent
            }
            heap[child] = moving
        }
    }

    /// Put `moving` at `start` and sift it down to its place.
    @inlinable @inline(__always)
    static func siftDown(_ moving: Entry, from start: Int, in heap: UnsafeMutableBufferPointer<Entry>) {
        let count = heap.count
        var parent = start
        while true {
            var child = 2 * parent + 1
            guard child < count else { break }
            if child + 1 < count, Entry.precedes(heap[child + 1], heap[child]) { child += 1 }
            guard Entry.precedes(heap[child], moving) else { break }
            heap[parent] = heap[child]
            parent = child
        }
        heap[parent] = moving
    }

    /// Forget every event but keep the storage.
    public mutating func removeAll() {
        entries.removeAll(keepingCapacity: true)
        sequence = 0
    }
}
