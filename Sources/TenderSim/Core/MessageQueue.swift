/// A FIFO ring buffer for messages in flight, which the simulator keeps out of the `EventQueue`.
///
/// Every message takes the same latency, so messages fall due in the order they were sent and,
/// at the highest priority, ahead of any agenda event due at the same time: the agenda would hand
/// them back in exactly this order. A ring buffer gives it without the heap's log-time sifting,
/// which matters when one auction is thirty messages. Storage is reused, so it allocates only to
/// grow.
///
/// The ring lives in memory owned by a small class and is written through a pointer: an array
/// would check its buffer's uniqueness (a runtime call) on every push. The price is that a copy
/// of a queue shares the ring, so a queue has one owner and is used through it alone (the
/// simulation owns its two and runs once, consuming itself). Messages must be plain values (no
/// references), which the ring copies bit for bit and never destroys.
struct MessageQueue<Message> {
    /// The ring's memory; replaced, never resized, when the queue grows.
    private final class Ring {
        let slots: UnsafeMutablePointer<Message>
        let capacity: Int

        init(capacity: Int) {
            self.capacity = capacity
            slots = .allocate(capacity: capacity)
        }

        deinit { slots.deallocate() }
    }

    private var ring: Ring
    private var head = 0
    private var tail = 0
    private(set) var count = 0

    init(capacity: Int = 64) {
        precondition(_isPOD(Message.self), "MessageQueue holds plain values only")
        ring = Ring(capacity: max(capacity, 2))
    }

    var isEmpty: Bool { count == 0 }

    @inline(__always)
    mutating func push(_ message: Message) {
        if count == ring.capacity { grow() }
        (ring.slots + tail).initialize(to: message)
        tail = tail + 1 == ring.capacity ? 0 : tail + 1
        count += 1
    }

    /// The oldest message, without removing it.
    @inline(__always)
    var first: Message? { count > 0 ? ring.slots[head] : nil }

    @inline(__always)
    mutating func pop() -> Message? {
        guard count > 0 else { return nil }
        let message = ring.slots[head]
        head = head + 1 == ring.capacity ? 0 : head + 1
        count -= 1
        return message
    }

    private mutating func grow() {
        let bigger = Ring(capacity: ring.capacity * 2)
        for offset in 0..<count { (bigger.slots + offset).initialize(to: ring.slots[(head + offset) % ring.capacity]) }
        ring = bigger
        head = 0
        tail = count
    }
}
