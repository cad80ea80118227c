import Histogram
import TenderCore

/// Everything measured during a run, updated in O(1) per event. Only incidents that arrive after
/// the warm-up count, and only time after it goes into utilisation.
struct SimulationMetrics {
    var measureFrom: Double
    var arrivals = 0
    var incidents = 0
    var resolved = 0
    var escalated = 0
    var cancelled = 0
    var awarded = 0
    var waitSum = 0.0
    var ttrSum = 0.0
    /// Time to resolve, in microseconds, to three significant digits.
    var ttr = Histogram<UInt64>(highestTrackableValue: 1 << 44, numberOfSignificantValueDigits: .three)
    var slaBreaches = 0
    /// Per severity (`Severity.rawValue`): concluded incidents and those that breached their SLA.
    var concludedBySeverity = [0, 0, 0, 0]
    var breachesBySeverity = [0, 0, 0, 0]
    /// Sum and count of each measured incident's expected service time at its fastest capable
    /// specialist, added at arrival: the TTR lower bound's numerator and denominator.
    var boundSum = 0.0
    var boundCount = 0
    var messages = 0
    var rollbacks = 0
    var retries = 0
    var rounds = 0
    var events = 0
    /// Awards per category × specialist, flattened `[specialist * 4 + category]`.
    var allocation: [Int]
    var fairness: FairnessTracker
    /// Per specialist: busy and present slot-seconds, integrated as they change. One array of
    /// structs, so an update checks one buffer for uniqueness rather than five.
    var slots: [SlotAccount]
    var series = TimeSeries()

    init(measureFrom: Double, capabilities: [Double]) {
        self.measureFrom = measureFrom
        let count = capabilities.count
        allocation = Array(repeating: 0, count: count * IncidentCategory.allCases.count)
        fairness = FairnessTracker(capabilities: capabilities)
        slots = Array(repeating: SlotAccount(), count: count)
        series.load = Array(repeating: [], count: count)
    }

    /// Integrate a specialist's busy slots and present capacity up to `now`; call before either changes.
    @inline(__always)
    mutating func account(_ specialist: Int, busy: Int, capacity: Int, now: Double) {
        slots[specialist].account(busy: busy, capacity: capacity, now: now, measureFrom: measureFrom)
    }

    mutating func recordResolution(_ severity: Severity, arrivedAt: Double, deadline: Double, now: Double) {
        resolved += 1
        let ttrSeconds = now - arrivedAt
        ttrSum += ttrSeconds
        _ = ttr.record(UInt64(max(ttrSeconds, 0) * 1e6))
        concludedBySeverity[severity.rawValue] &+= 1
        if now > deadline {
            slaBreaches += 1
            breachesBySeverity[severity.rawValue] &+= 1
        }
    }

    mutating func recordEscalation(_ severity: Severity) {
        escalated += 1
        slaBreaches += 1
        concludedBySeverity[severity.rawValue] &+= 1
        breachesBySeverity[severity.rawValue] &+= 1
    }

    /// A measured incident arrived whose fastest capable specialist expects `bestService` seconds
    /// (infinite when nobody can serve it: such an incident has no bound and is left out).
    @inline(__always)
    mutating func recordBound(_ bestService: Double) {
        guard bestService.isFinite else { return }
        boundSum += bestService
        boundCount &+= 1
    }

    /// Breach rate of concluded incidents per severity.
    var breachRateBySeverity: SeverityRates {
        func rate(_ severity: Severity) -> Double {
            let concluded = concludedBySeverity[severity.rawValue]
            return concluded > 0 ? Double(breachesBySeverity[severity.rawValue]) / Double(concluded) : 0
        }
        return SeverityRates(critical: rate(.critical), high: rate(.high), medium: rate(.medium), low: rate(.low))
    }

    /// Seconds from arrival to resolution at `percentile` (0–100).
    func ttrPercentile(_ percentile: Double) -> Double {
        ttr.totalCount == 0 ? 0 : Double(ttr.valueAtPercentile(percentile)) / 1e6
    }
}

/// One specialist's slot-seconds.
struct SlotAccount {
    /// Busy and present slot-seconds after the warm-up.
    var busySeconds = 0.0
    var capacitySeconds = 0.0
    var lastChange = 0.0
    /// Busy slot-seconds since the start (warm-up included), and their value at the last sample:
    /// the load chart shows each interval's average, not an instantaneous count.
    var busyTotal = 0.0
    var busyAtLastSample = 0.0

    @inline(__always)
    mutating func account(busy: Int, capacity: Int, now: Double, measureFrom: Double) {
        busyTotal += Double(busy) * (now - lastChange)
        let from = max(lastChange, measureFrom)
        if now > from {
            busySeconds += Double(busy) * (now - from)
            capacitySeconds += Double(capacity) * (now - from)
        }
        lastChange = now
    }
}

/// Samples taken at regular intervals of simulated time, for the report's charts.
public struct TimeSeries: Sendable, Codable {
    public var time: [Double] = []
    /// Per specialist: average busy slots over capacity since the previous sample.
    public var load: [[Double]] = []
    /// Jain's index over capability-normalised work so far, at each sample.
    public var jain: [Double] = []
    /// Incidents open (arrived, not concluded) at each sample.
    public var open: [Int] = []
}
