import HeapModule
import TenderCore
import TenderUV

/// The engine's timers on one libuv timer: a heap ordered by deadline, with the libuv timer
/// armed for the earliest. Engine timers are never disarmed (stale ones are ignored by the
/// engine), so the heap only ever pops.
final class EngineTimerQueue {
    private struct Entry: Comparable {
        var deadline: Double
        var sequence: UInt64
        var timer: EngineTimer
        static func < (lhs: Entry, rhs: Entry) -> Bool { (lhs.deadline, lhs.sequence) < (rhs.deadline, rhs.sequence) }
        static func == (lhs: Entry, rhs: Entry) -> Bool { lhs.sequence == rhs.sequence }
    }

    private var heap = Heap<Entry>()
    private var sequence: UInt64 = 0
    private let wakeTimer: LoopTimer
    private var armedFor = Double.infinity
    private let clock: () -> Instant
    private let fire: (EngineTimer) -> Void

    init(loop: EventLoop, clock: @escaping () -> Instant, fire: @escaping (EngineTimer) -> Void) throws {
        wakeTimer = try LoopTimer(loop: loop)
        // Pending engine timers alone must not keep a stopping process alive.
        wakeTimer.unref()
        self.clock = clock
        self.fire = fire
    }

    var count: Int { heap.count }

    func schedule(_ timer: EngineTimer, at instant: Instant) {
        sequence &+= 1
        heap.insert(Entry(deadline: instant.seconds, sequence: sequence, timer: timer))
        if instant.seconds < armedFor { arm() }
    }

    private func arm() {
        guard let first = heap.min else {
            armedFor = .infinity
            wakeTimer.stop()
            return
        }
        armedFor = first.deadline
        let delay = max(0, first.deadline - clock().seconds)
        // Round up: firing a millisecond early would find nothing due.
        wakeTimer.start(afterMilliseconds: UInt64((delay * 1000).rounded(.up))) { [unowned self] in self.fireDue() }
    }

    private func fireDue() {
        let now = clock().seconds
        armedFor = .infinity
        while let first = heap.min, first.deadline <= now {
            heap.removeMin()
            fire(first.timer)
        }
        arm()
    }

    func close() { wakeTimer.close() }
}
