import Foundation

/// Runs of one configuration over several seeds, summarised as a mean with a 95% confidence
/// interval per metric (Student's t over the per-seed values, which are independent runs).
public enum SeedAggregate {
    /// Every numeric field of the summaries becomes `{mean, ci95: [low, high], half_width}`;
    /// nested objects (utilisation per specialist) are aggregated field by field; text fields
    /// are kept from the first run, and `seed` becomes the list of seeds.
    public static func aggregate(_ summaries: [SimulationSummary]) throws -> JSONValue {
        let trees = try summaries.map { try JSONValue.from($0) }
        var result = aggregate(trees)
        if case .object(var pairs) = result, let index = pairs.firstIndex(where: { $0.0 == "seed" }) {
            pairs[index] = ("seeds", .array(summaries.map { .integer(Int(truncatingIfNeeded: $0.seed)) }))
            pairs.append(("runs", .integer(summaries.count)))
            result = .object(pairs)
        }
        return result
    }

    static func aggregate(_ trees: [JSONValue]) -> JSONValue {
        guard let first = trees.first else { return .null }
        switch first {
        case .object(let pairs):
            return .object(pairs.map { key, _ in (key, aggregate(trees.compactMap { $0[key] })) })
        case .number, .integer:
            return interval(trees.compactMap(\.double)).json
        default:
            return first
        }
    }

    /// Mean and 95% half-width of independent observations.
    public static func interval(_ values: [Double]) -> ConfidenceInterval {
        let n = Double(values.count)
        guard n > 0 else { return ConfidenceInterval(mean: .nan, halfWidth: .nan) }
        let mean = values.reduce(0, +) / n
        guard n > 1 else { return ConfidenceInterval(mean: mean, halfWidth: 0) }
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        return ConfidenceInterval(mean: mean, halfWidth: studentT975(degreesOfFreedom: values.count - 1) * (variance / n).squareRoot())
    }

    /// The 97.5% quantile of Student's t, for a two-sided 95% interval.
    public static func studentT975(degreesOfFreedom df: Int) -> Double {
        let table: [Double] = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                               2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
                               2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042]
        if df >= 1 && df <= table.count { return table[df - 1] }
        // Beyond 30 degrees of freedom: the normal quantile with the first correction term.
        return 1.959964 + 2.37 / Double(max(df, 1))
    }
}

/// A mean and the half-width of its 95% confidence interval.
public struct ConfidenceInterval: Sendable, Hashable {
    public var mean: Double
    public var halfWidth: Double

    public var low: Double { mean - halfWidth }
    public var high: Double { mean + halfWidth }

    var json: JSONValue {
        .object([("mean", .number(mean)), ("ci95", .array([.number(low), .number(high)])), ("half_width", .number(halfWidth))])
    }
}
