import Foundation
import Testing
import TenderCore
@testable import TenderLearning

/// The speed-ups must not change the numbers: the fast tanh against libm's, and the BLAS path
/// of a dense layer against its scalar loops.
@Suite struct FastMathTests {
    @Test func fastTanhMatchesLibmToTheLastBits() {
        var worst = 0.0
        var x = -30.0
        while x <= 30 {
            worst = max(worst, abs(FastTanh.tanh(x) - Foundation.tanh(x)))
            x += 0.000_731
        }
        for x in [0.0, -0.0, 1e-300, -1e-12, 1e-6, 0.346_573_590_279_972_6, 19.999, 20, 20.001, 700, -1e300] {
            worst = max(worst, abs(FastTanh.tanh(x) - Foundation.tanh(x)))
        }
        #expect(worst < 1e-15, "worst absolute error \(worst)")
        #expect(FastTanh.tanh(.infinity) == 1 && FastTanh.tanh(-.infinity) == -1)
        #expect(FastTanh.tanh(.nan).isNaN)
        // Odd, and exactly 0 at 0 (a dead unit stays dead).
        #expect(FastTanh.tanh(0) == 0 && FastTanh.tanh(-0.7) == -FastTanh.tanh(0.7))
    }

    /// A batch through BLAS equals the same rows through the scalar loops one at a time, for
    /// the forward pass and for both gradients.
    @Test func blasBatchEqualsRowByRow() {
        var random = SeededGenerator(seed: 17)
        let layer = DenseLayer(inputs: 23, outputs: 64, offset: 0)
        let batch = 32
        #expect(batch >= DenseLayer.blasBatch)
        let params = (0..<layer.parameterCount).map { _ in Orthogonal.gaussian(&random) }
        // One-hot-like zeros among the inputs, as the bidding features have.
        let input = (0..<(batch * 23)).map { k in k % 5 == 0 ? 0 : Orthogonal.gaussian(&random) }
        let upstream = (0..<(batch * 64)).map { _ in Orthogonal.gaussian(&random) }

        var batched = [Double](repeating: 0, count: batch * 64)
        layer.forward(params, input, &batched, batch: batch)
        var batchedGrads = [Double](repeating: 0, count: layer.parameterCount)
        var batchedInputGradient = [Double](repeating: 0, count: batch * 23)
        layer.backward(params, &batchedGrads, input, upstream, &batchedInputGradient, batch: batch)

        var rows = [Double](repeating: 0, count: batch * 64)
        var rowGrads = [Double](repeating: 0, count: layer.parameterCount)
        var rowInputGradient = [Double](repeating: 0, count: batch * 23)
        params.withUnsafeBufferPointer { p in
            input.withUnsafeBufferPointer { x in
                upstream.withUnsafeBufferPointer { dy in
                    rows.withUnsafeMutableBufferPointer { y in
                        rowGrads.withUnsafeMutableBufferPointer { g in
                            rowInputGradient.withUnsafeMutableBufferPointer { dx in
                                for b in 0..<batch {
                                    layer.forward(p.baseAddress!, x.baseAddress! + b * 23, y.baseAddress! + b * 64, batch: 1)
                                    layer.backward(p.baseAddress!, g.baseAddress!, x.baseAddress! + b * 23, dy.baseAddress! + b * 64,
                                                   dx.baseAddress! + b * 23, batch: 1)
                                }
                            }
                        }
                    }
                }
            }
        }
        func worst(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).map { abs($0 - $1) / max(1, abs($0)) }.max() ?? 0 }
        #expect(worst(batched, rows) < 1e-12)
        #expect(worst(batchedGrads, rowGrads) < 1e-12)
        #expect(worst(batchedInputGradient, rowInputGradient) < 1e-12)
        #expect(batchedGrads.contains { $0 != 0 })
    }
}
