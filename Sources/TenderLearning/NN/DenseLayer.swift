/// A fully connected layer `y = x·W + b` over a batch, reading its weights and writing its
/// gradients in flat parameter buffers owned by the network, so Adam, clipping and checkpoints
/// see one contiguous array. Weights are stored input-major (`W[i][o]` at `i * outputs + o`):
/// the inner loops then run over contiguous outputs, which the compiler vectorises.
public struct DenseLayer: Sendable {
    public let inputs: Int
    public let outputs: Int
    /// Offsets of the weights and the bias in the network's parameter buffer.
    public let weightOffset: Int
    public let biasOffset: Int

    public init(inputs: Int, outputs: Int, offset: Int) {
        self.inputs = inputs
        self.outputs = outputs
        weightOffset = offset
        biasOffset = offset + inputs * outputs
    }

    public var parameterCount: Int { inputs * outputs + outputs }

    /// `y[b] = x[b]·W + bias` for `batch` rows; `x` is `batch × inputs`, `y` is `batch × outputs`.
    @inline(__always)
    public func forward(_ params: UnsafePointer<Double>, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, batch: Int) {
        let w = params + weightOffset
        let bias = params + biasOffset
        let n = outputs
        for b in 0..<batch {
            let row = y + b * n
            row.update(from: bias, count: n)
            let input = x + b * inputs
            for i in 0..<inputs {
                let scale = input[i]
                if scale == 0 { continue }
                let wi = w + i * n
                for o in 0..<n { row[o] += scale * wi[o] }
            }
        }
    }

    /// Accumulates `dW += xᵀ·dy`, `db += Σ dy` into `grads`; writes `dx = dy·Wᵀ` when `dx` is
    /// given (the first layer needs no input gradient).
    @inline(__always)
    public func backward(
        _ params: UnsafePointer<Double>, _ grads: UnsafeMutablePointer<Double>, _ x: UnsafePointer<Double>,
        _ dy: UnsafePointer<Double>, _ dx: UnsafeMutablePointer<Double>?, batch: Int
    ) {
        let w = params + weightOffset
        let dw = grads + weightOffset
        let db = grads + biasOffset
        let n = outputs
        for b in 0..<batch {
            let g = dy + b * n
            for o in 0..<n { db[o] += g[o] }
            let input = x + b * inputs
            for i in 0..<inputs {
                let scale = input[i]
                if scale == 0 { continue }
                let dwi = dw + i * n
                for o in 0..<n { dwi[o] += scale * g[o] }
            }
            if let dx {
                let out = dx + b * inputs
                for i in 0..<inputs {
                    let wi = w + i * n
                    // Four partial sums break the serial dependency of one running sum.
                    var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
                    var o = 0
                    while o + 4 <= n {
                        s0 += wi[o] * g[o]
                        s1 += wi[o + 1] * g[o + 1]
                        s2 += wi[o + 2] * g[o + 2]
                        s3 += wi[o + 3] * g[o + 3]
                        o += 4
                    }
                    while o < n {
                        s0 += wi[o] * g[o]
                        o += 1
                    }
                    out[i] = (s0 + s1) + (s2 + s3)
                }
            }
        }
    }
}
