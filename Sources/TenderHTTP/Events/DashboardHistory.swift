import TenderUV

/// Recent samples of fairness and per-specialist load, for the dashboard's charts over time.
///
/// A fixed ring: `capacity` samples, one taken per `record`; the server samples on a timer and
/// publishes each sample as a `fairness` event, so an open dashboard extends its charts live and
/// a newly opened one starts from `GET /v1/history`.
public final class DashboardHistory {
    public struct Sample: Codable, Sendable, Hashable {
        public var at: Double
        public var jain: Double
        public var gini: Double
        public var windowJain: Double
        public var windowGini: Double
        public var awards: Int
        /// Incidents held per specialist, by name.
        public var load: [String: Int]
        /// load ÷ capacity per specialist, by name.
        public var utilisation: [String: Double]
    }

    public let capacity: Int
    private var ring: [Sample] = []
    private var head = 0

    public init(capacity: Int = 600) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    /// Take a sample from the backend's current state.
    @discardableResult
    public func record(at time: Double, from backend: APIBackend) -> Sample {
        let fairness = FairnessReport(backend.allocation())
        let specialists = backend.specialists()
        let sample = Sample(
            at: time, jain: fairness.total.jain, gini: fairness.total.gini,
            windowJain: fairness.window.jain, windowGini: fairness.window.gini, awards: fairness.total.awards,
            load: Dictionary(specialists.map { ($0.name, $0.load) }, uniquingKeysWith: { a, _ in a }),
            utilisation: Dictionary(specialists.map { ($0.name, $0.utilisation) }, uniquingKeysWith: { a, _ in a })
        )
        if ring.count < capacity {
            ring.append(sample)
        } else {
            ring[head] = sample
            head = (head + 1) % capacity
        }
        return sample
    }

    /// Oldest first.
    public var samples: [Sample] {
        Array(ring[head...] + ring[..<head])
    }
}
