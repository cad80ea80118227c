import Foundation
import TenderCore

/// Orthogonal initialisation (Saxe et al.), as `torch.nn.init.orthogonal_`: a Gaussian matrix
/// orthonormalised, times a gain. It keeps signal scale through deep tanh stacks at the start.
public enum Orthogonal {
    /// A `rows × columns` row-major matrix whose columns (if tall) or rows (if wide) are
    /// orthonormal, times `gain`.
    public static func matrix(rows: Int, columns: Int, gain: Double, random: inout SeededGenerator) -> [Double] {
        let tall = max(rows, columns)
        let thin = min(rows, columns)
        // Columns of a tall × thin Gaussian matrix, orthonormalised by modified Gram–Schmidt.
        var q = [[Double]](repeating: [], count: thin)
        for c in 0..<thin {
            var v = (0..<tall).map { _ in gaussian(&random) }
            for previous in q[0..<c] {
                let dot = zip(v, previous).reduce(0) { $0 + $1.0 * $1.1 }
                for k in 0..<tall { v[k] -= dot * previous[k] }
            }
            var norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            if norm < 1e-12 {
                // Degenerate draw (practically impossible): fall back to a unit vector.
                v = (0..<tall).map { $0 == c ? 1 : 0 }
                norm = 1
            }
            q[c] = v.map { $0 / norm }
        }
        var out = [Double](repeating: 0, count: rows * columns)
        for r in 0..<rows {
            for c in 0..<columns {
                out[r * columns + c] = gain * (rows >= columns ? q[c][r] : q[r][c])
            }
        }
        return out
    }

    /// One standard normal draw (Box–Muller).
    public static func gaussian(_ random: inout SeededGenerator) -> Double {
        let u1 = max(random.nextUnit(), .leastNonzeroMagnitude)
        let u2 = random.nextUnit()
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }
}
