/// A FIFO of zero-latency messages, drained before the next event leaves the `EventQueue`.
///
/// With no message latency every message is due *now*, at the highest priority, so the agenda
/// would hand them back in exactly the order they were sent; a ring buffer gives the same order
/// without the heap's log-time sifting, which matters when one auction is thirty messages.
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
