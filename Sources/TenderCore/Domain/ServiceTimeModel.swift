import Foundation

/// How long a piece of work takes: a distribution and its parameters, in seconds.
public enum ServiceDistribution: Sendable, Hashable {
    /// Memoryless, with the given mean.
    case exponential(mean: Double)
    /// Log-normal with the given mean (of the time itself, not of its log) and log-space sigma.
    case lognormal(mean: Double, sigma: Double)
    /// Always exactly this long.
    case deterministic(Double)

    public var mean: Double {
        switch self {
        case .exponential(let mean): mean
        case .lognormal(let mean, _): mean
        case .deterministic(let value): value
        }
    }

    /// The same shape with its mean multiplied by `factor` (skill scaling, time scaling).
    public func scaled(by factor: Double) -> ServiceDistribution {
        switch self {
        case .exponential(let mean): .exponential(mean: mean * factor)
        case .lognormal(let mean, let sigma): .lognormal(mean: mean * factor, sigma: sigma)
        case .deterministic(let value): .deterministic(value * factor)
        }
    }

    /// One draw.
    @inlinable @inline(__always)
    public func sample(_ random: inout SeededGenerator) -> Double {
        switch self {
        case .exponential(let mean):
            return -mean * log(1 - random.nextUnit())
        case .lognormal(let mean, let sigma):
            // mean = exp(mu + sigma²/2), so mu follows from the requested mean.
            let mu = log(mean) - sigma * sigma / 2
            return exp(mu + sigma * Self.standardNormal(&random))
        case .deterministic(let value):
            return value
        }
    }

    /// Box–Muller; one of the pair is discarded to keep draws stateless.
    @inlinable @inline(__always)
    static func standardNormal(_ random: inout SeededGenerator) -> Double {
        let u1 = max(random.nextUnit(), .leastNonzeroMagnitude)
        let u2 = random.nextUnit()
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }
}

/// A specialist's service times: a base distribution per category, scaled by severity.
public struct ServiceTimeModel: Sendable, Hashable {
    public var base: PerCategory<ServiceDistribution>
    /// Multiplier per severity (critical incidents are usually bigger jobs).
    public var severityFactor: [Severity: Double]

    public init(base: PerCategory<ServiceDistribution>, severityFactor: [Severity: Double] = [:]) {
        self.base = base
        self.severityFactor = severityFactor
    }

    public func distribution(for category: IncidentCategory, _ severity: Severity) -> ServiceDistribution {
        base[category].scaled(by: severityFactor[severity] ?? 1)
    }

    public func mean(for category: IncidentCategory, _ severity: Severity) -> Double {
        base[category].mean * (severityFactor[severity] ?? 1)
    }
}

/// Probability that a task fails, as a function of the specialist's skill for its category:
/// `base + slope × (1 − skill)`, clamped to [0, 1].
public struct FailureModel: Sendable, Hashable {
    public var base: Double
    public var slope: Double

    public init(base: Double, slope: Double) {
        self.base = base
        self.slope = slope
    }

    public func probability(skill: Double) -> Double {
        min(max(base + slope * (1 - skill), 0), 1)
    }
}
