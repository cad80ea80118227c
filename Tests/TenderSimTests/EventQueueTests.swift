import Testing
import TenderCore
@testable import TenderSim

/// The agenda orders by time, then priority, then scheduling order (SimPy's heap discipline).
struct EventQueueTests {
    @Test func sameTimeEventsRunByPriorityThenInSchedulingOrder() {
        var queue = EventQueue<String>()
        queue.schedule("late", at: 2, priority: 0)
        queue.schedule("b-low", at: 1, priority: 5)
        queue.schedule("a-high", at: 1, priority: 1)
        queue.schedule("c-low", at: 1, priority: 5)
        queue.schedule("early", at: 0.5, priority: 9)
        var seen: [String] = []
        while let (_, event) = queue.pop() { seen.append(event) }
        #expect(seen == ["early", "a-high", "b-low", "c-low", "late"])
    }

    @Test func popsInNondecreasingTimeOverManyRandomEvents() {
        var queue = EventQueue<Int>()
        var random = SeededGenerator(seed: 9)
        for index in 0..<5000 { queue.schedule(index, at: Double(random.nextIndex(below: 100)), priority: UInt8(random.nextIndex(below: 3))) }
        var last = (time: -1.0, order: UInt64(0))
        var count = 0
        while let (time, _) = queue.pop() {
            #expect(time >= last.time)
            last.time = time
            count += 1
        }
        #expect(count == 5000)
    }

    @Test func messageQueueIsFirstInFirstOutAcrossGrowth() {
        var fifo = MessageQueue<Int>(capacity: 2)
        var out: [Int] = []
        for value in 0..<5 { fifo.push(value) }
        out.append(fifo.pop()!)
        for value in 5..<9 { fifo.push(value) }
        while let value = fifo.pop() { out.append(value) }
        #expect(out == Array(0..<9))
    }
}
