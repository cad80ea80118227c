import Foundation
import TenderConfig
import TenderCore

/// Produces the arrival times of one stream, with its own random stream so that every allocator
/// compared on a scenario sees the very same storm (common random numbers).
struct ArrivalGenerator {
    let stream: ArrivalStream
    var random: SeededGenerator
    /// Time of the last arrival produced.
    private(set) var time = 0.0
    /// Bursty streams: whether a burst is on, and when the current phase ends.
    private var bursting = false
    private var phaseEnd = 0.0
    /// Replay: the next record.
    private var cursor = 0

    init(stream: ArrivalStream, seed: UInt64) {
        self.stream = stream
        random = SeededGenerator(seed: seed)
        if case .bursty(_, _, let meanOff) = stream.process {
            phaseEnd = exponential(meanOff)
        }
    }

    private mutating func exponential(_ mean: Double) -> Double {
        -mean * log(1 - random.nextUnit())
    }

    /// The next arrival's time, category and severity; nil when the stream is exhausted.
    mutating func next() -> (time: Double, category: IncidentCategory, severity: Severity)? {
        switch stream.process {
        case .poisson:
            guard stream.rate > 0 else { return nil }
            time += exponential(1 / stream.rate)
        case .bursty(let burstRate, let meanOn, let meanOff):
            // Memoryless gaps: when a phase ends before the next arrival, restart the draw there.
            while true {
                let rate = bursting ? burstRate : stream.rate
                let gap = rate > 0 ? exponential(1 / rate) : .infinity
                if time + gap <= phaseEnd {
                    time += gap
                    break
                }
                time = phaseEnd
                bursting.toggle()
                phaseEnd = time + exponential(bursting ? meanOn : meanOff)
            }
        case .diurnal(let amplitude, let period, let peakAt):
            // Thinning (Lewis–Shedler): draw at the peak rate, keep with probability λ(t)/λmax.
            let peak = stream.rate * (1 + amplitude)
            guard peak > 0 else { return nil }
            while true {
                time += exponential(1 / peak)
                let rate = stream.rate * (1 + amplitude * cos(2 * .pi * (time - peakAt) / period))
                if random.nextUnit() * peak < rate { break }
            }
        case .replay(let trace, let speed):
            guard cursor < trace.records.count else { return nil }
            let record = trace.records[cursor]
            cursor += 1
            time = record.time / speed
            return (time, record.category, record.severity)
        }
        return (time, stream.category, stream.severity)
    }
}
