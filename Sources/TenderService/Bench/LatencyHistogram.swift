import Histogram

/// hdrhistogram's microsecond histogram under a name of its own: files that also import
/// TenderHTTP (whose metrics registry has a `Histogram` of its own) name it through this.
typealias LatencyHistogram = Histogram<UInt64>

extension LatencyHistogram {
    /// Up to two minutes in microseconds, three significant digits: `CoordinatorStats.cfpToAward`'s shape.
    static func microseconds() -> LatencyHistogram {
        Histogram<UInt64>(highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: .three)
    }
}
