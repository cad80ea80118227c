/// Running mean and variance of observations (Chan et al.'s parallel update, as Gymnasium's
/// `NormalizeObservation`), applied as `(x − μ) / √(σ² + 1e-8)` clipped to ±10. Training
/// updates it; checkpoints freeze it so serving sees what training saw.
public struct RunningNormaliser: Sendable, Codable, Hashable {
    public var mean: [Double]
    public var variance: [Double]
    public var count: Double

    public init(size: Int) {
        mean = Array(repeating: 0, count: size)
        variance = Array(repeating: 1, count: size)
        count = 1e-4
    }

    /// Folds `rows` observations (`rows × mean.count`) into the statistics.
    public mutating func update(_ values: UnsafePointer<Double>, rows: Int) {
        let size = mean.count
        guard rows > 0 else { return }
        for j in 0..<size {
            var batchMean = 0.0
            for r in 0..<rows { batchMean += values[r * size + j] }
            batchMean /= Double(rows)
            var batchVariance = 0.0
            for r in 0..<rows { batchVariance += (values[r * size + j] - batchMean) * (values[r * size + j] - batchMean) }
            batchVariance /= Double(rows)
            let total = count + Double(rows)
            let delta = batchMean - mean[j]
            let m2 = variance[j] * count + batchVariance * Double(rows) + delta * delta * count * Double(rows) / total
            mean[j] += delta * Double(rows) / total
            variance[j] = m2 / total
        }
        count += Double(rows)
    }

    /// Normalises `size` values in place.
    @inline(__always)
    public func apply(_ values: UnsafeMutablePointer<Double>) {
        mean.withUnsafeBufferPointer { mean in
            variance.withUnsafeBufferPointer { variance in
                for j in 0..<mean.count {
                    let z = (values[j] - mean[j]) / (variance[j] + 1e-8).squareRoot()
                    values[j] = min(max(z, -10), 10)
                }
            }
        }
    }
}
