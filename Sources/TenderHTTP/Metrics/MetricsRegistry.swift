/// A small Prometheus registry: counters, gauges and histograms, rendered in the text exposition
/// format (version 0.0.4) for `/metrics`.
///
/// Loop-thread only, like everything it measures: no locks. Names follow Prometheus conventions,
/// checked when a metric is registered (a wrong name is a programming error, not user input):
/// `tender_` prefix, base units (`_seconds`, `_bytes`), `_total` on counters and only there.
/// Labels are for small fixed sets (route, status code, category, specialist), never per incident.
public final class MetricsRegistry {
    enum Kind: String { case counter, gauge, histogram }

    final class Family {
        let name: String
        let help: String
        let kind: Kind
        /// Label sets in registration order, each with how to read its value(s).
        var series: [(labels: [(String, String)], sample: Sample)] = []
        init(name: String, help: String, kind: Kind) {
            self.name = name
            self.help = help
            self.kind = kind
        }
    }

    enum Sample {
        case value(() -> Double)
        case histogram(Histogram)
    }

    private var families: [Family] = []
    private var byName: [String: Family] = [:]

    public init() {}

    /// A counter you increment.
    public func counter(_ name: String, help: String, labels: [(String, String)] = []) -> Counter {
        let counter = Counter()
        register(name, help: help, kind: .counter, labels: labels, sample: .value { counter.value })
        return counter
    }

    /// A counter whose value something else already keeps (read at scrape time).
    public func counter(_ name: String, help: String, labels: [(String, String)] = [], read: @escaping () -> Double) {
        register(name, help: help, kind: .counter, labels: labels, sample: .value(read))
    }

    public func gauge(_ name: String, help: String, labels: [(String, String)] = []) -> Gauge {
        let gauge = Gauge()
        register(name, help: help, kind: .gauge, labels: labels, sample: .value { gauge.value })
        return gauge
    }

    /// A gauge read at scrape time (connections open, backlog length).
    public func gauge(_ name: String, help: String, labels: [(String, String)] = [], read: @escaping () -> Double) {
        register(name, help: help, kind: .gauge, labels: labels, sample: .value(read))
    }

    public func histogram(_ name: String, help: String, buckets: [Double], labels: [(String, String)] = []) -> Histogram {
        let histogram = Histogram(buckets: buckets)
        register(name, help: help, kind: .histogram, labels: labels, sample: .histogram(histogram))
        return histogram
    }

    private func register(_ name: String, help: String, kind: Kind, labels: [(String, String)], sample: Sample) {
        precondition(Self.isValidName(name) && name.hasPrefix("tender_"), "metric name `\(name)` must match [a-zA-Z_:][a-zA-Z0-9_:]* and start with tender_")
        precondition((kind == .counter) == name.hasSuffix("_total"), "`\(name)`: counters, and only counters, end in _total")
        for (label, _) in labels {
            precondition(Self.isValidName(label) && !label.contains(":") && label != "le", "label `\(label)` on `\(name)` is not a valid label name")
        }
        let family: Family
        if let existing = byName[name] {
            precondition(existing.kind == kind, "`\(name)` registered as both \(existing.kind) and \(kind)")
            precondition(!existing.series.contains { $0.labels.elementsEqual(labels, by: ==) }, "`\(name)` registered twice with the same labels")
            family = existing
        } else {
            family = Family(name: name, help: help, kind: kind)
            byName[name] = family
            families.append(family)
        }
        family.series.append((labels, sample))
    }

    static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, first == UInt8(ascii: "_") || first == UInt8(ascii: ":") || isLetter(first) else { return false }
        return name.utf8.allSatisfy { $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ":") || isLetter($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    /// Everything, in the text exposition format.
    public func render() -> String {
        var out = ""
        for family in families {
            out += "# HELP \(family.name) \(Self.escapeHelp(family.help))\n# TYPE \(family.name) \(family.kind.rawValue)\n"
            for (labels, sample) in family.series {
                switch sample {
                case .value(let read):
                    out += "\(family.name)\(Self.labelText(labels)) \(Self.number(read()))\n"
                case .histogram(let histogram):
                    var cumulative: UInt64 = 0
                    for (bound, count) in zip(histogram.buckets, histogram.counts) {
                        cumulative += count
                        out += "\(family.name)_bucket\(Self.labelText(labels + [("le", Self.number(bound))])) \(cumulative)\n"
                    }
                    out += "\(family.name)_bucket\(Self.labelText(labels + [("le", "+Inf")])) \(histogram.count)\n"
                    out += "\(family.name)_sum\(Self.labelText(labels)) \(Self.number(histogram.sum))\n"
                    out += "\(family.name)_count\(Self.labelText(labels)) \(histogram.count)\n"
                }
            }
        }
        return out
    }

    static func labelText(_ labels: [(String, String)]) -> String {
        guard !labels.isEmpty else { return "" }
        return "{" + labels.map { "\($0.0)=\"\(escapeLabel($0.1))\"" }.joined(separator: ",") + "}"
    }

    static func escapeLabel(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }

    static func escapeHelp(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }

    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}

/// A monotonically increasing count.
public final class Counter {
    public private(set) var value: Double = 0
    public func increment(by amount: Double = 1) {
        precondition(amount >= 0, "a counter only goes up")
        value += amount
    }
}

/// A value that goes up and down.
public final class Gauge {
    public var value: Double = 0
}

/// Observations counted into fixed buckets (upper bounds, ascending), plus their sum and count.
public final class Histogram {
    public let buckets: [Double]
    /// Observations per bucket, not cumulative (rendering accumulates).
    private(set) var counts: [UInt64]
    public private(set) var count: UInt64 = 0
    public private(set) var sum: Double = 0

    init(buckets: [Double]) {
        precondition(!buckets.isEmpty && zip(buckets, buckets.dropFirst()).allSatisfy { $0 < $1 }, "histogram buckets must be ascending")
        self.buckets = buckets
        counts = Array(repeating: 0, count: buckets.count)
    }

    public func observe(_ value: Double) {
        count += 1
        sum += value
        // Buckets are few (about a dozen): a linear scan beats a binary search here.
        if let index = buckets.firstIndex(where: { value <= $0 }) { counts[index] += 1 }
    }

    /// 1 ms to 10 s, roughly ×2.5 apart: CFP→award and request latencies.
    public static let latencySeconds: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
    /// 1 s to 4 h: time to resolve an incident.
    public static let resolveSeconds: [Double] = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14400]
}
