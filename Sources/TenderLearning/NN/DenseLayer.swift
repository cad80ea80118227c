import COpenBLAS

/// A fully connected layer `y = x·W + b` over a batch, reading its weights and writing its
/// gradients in flat parameter buffers owned by the network, so Adam, clipping and checkpoints
/// see one contiguous array. Weights are stored input-major (`W[i][o]` at `i * outputs + o`),
/// which is row-major `inputs × outputs` for BLAS and keeps the scalar loops contiguous.
///
/// Minibatches (at least `blasBatch` rows) go through OpenBLAS's `dgemm`, one thread: on this
/// machine it runs the 512 × 64 × 64 products of a PPO update at about 43 GFLOP/s against 10 for
/// the scalar loops (`tender bench ppo`). Single rows (every rollout and serving step) stay in
/// the scalar loops, where a BLAS call's overhead would outweigh the work.
public struct DenseLayer: Sendable {
    public let inputs: Int
    public let outputs: Int
    /// Offsets of the weights and the bias in the network's parameter buffer.
    public let weightOffset: Int
    public let biasOffset: Int
    /// Batches from this size use BLAS.
    public static let blasBatch = 8

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
        for b in 0..<batch { (y + b * n).update(from: bias, count: n) }
        if batch >= Self.blasBatch {
            BLAS.prepare()
            cblas_dgemm(
                CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(batch), Int32(n), Int32(inputs),
                1, x, Int32(inputs), w, Int32(n), 1, y, Int32(n)
            )
            return
        }
        for b in 0..<batch {
            let row = y + b * n
            let input = x + b * inputs
            for i in 0..<inputs {
                let scale = input[i]
                // One-hot features are mostly zero: skip their rows of W.
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
        }
        if batch >= Self.blasBatch {
            BLAS.prepare()
            // dW (inputs × n) += xᵀ (inputs × batch) · dy (batch × n)
            cblas_dgemm(
                CblasRowMajor, CblasTrans, CblasNoTrans, Int32(inputs), Int32(n), Int32(batch),
                1, x, Int32(inputs), dy, Int32(n), 1, dw, Int32(n)
            )
            if let dx {
                // dx (batch × inputs) = dy (batch × n) · Wᵀ (n × inputs)
                cblas_dgemm(
                    CblasRowMajor, CblasNoTrans, CblasTrans, Int32(batch), Int32(inputs), Int32(n),
                    1, dy, Int32(n), w, Int32(n), 0, dx, Int32(inputs)
                )
            }
            return
        }
        for b in 0..<batch {
            let g = dy + b * n
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

/// OpenBLAS, pinned to one thread: the trainer's figures are per core, and BLAS threads would
/// fight the simulator and the other processes of `tender tune` for the same cores.
enum BLAS {
    /// Runs once per process, on first use (a `static let` initialiser is thread-safe).
    static let configured: Bool = {
        openblas_set_num_threads(1)
        return true
    }()

    @inline(__always)
    static func prepare() { _ = configured }
}
