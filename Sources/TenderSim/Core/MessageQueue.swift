/// A FIFO ring buffer for messages in flight, which the simulator keeps out of the `EventQueue`.
///
/// Every message takes the same latency, so messages fall due in the order they were sent and,
/// at the highest priority, ahead of any agenda event due at the same time: the agenda would hand
/// them back in exactly this order. A ring buffer gives it without the heap's log-time sifting,
/// which matters when one auction is thirty messages. Storage is reused, so it allocates only to
/// grow.
struct MessageQueue<Message> {
    private var storage: [Message?]
    private var head = 0
    private var tail = 0
    private(set) var count = 0

    init(capacity: Int = 64) {
        storage = Array(repeating: nil, count: max(capacity, 2))
    }

    var isEmpty: Bool { count == 0 }

    @inline(__always)
    mutating func push(_ message: Message) {
        if count == storage.count { grow() }
        storage[tail] = message
        tail = tail + 1 == storage.count ? 0 : tail + 1
        count += 1
    }

    /// The oldest message, without removing it.
    @inline(__always)
    var first: Message? { count > 0 ? storage[head] : nil }

    @inline(__always)
    mutating func pop() -> Message? {
        guard count > 0 else { return nil }
        let message = storage[head]
        head = head + 1 == storage.count ? 0 : head + 1
        count -= 1
        return message
    }

    private mutating func grow() {
        var bigger: [Message?] = Array(repeating: nil, count: storage.count * 2)
        for offset in 0..<count { bigger[offset] = storage[(head + offset) % storage.count] }
        storage = bigger
        head = 0
        tail = count
    }
}
