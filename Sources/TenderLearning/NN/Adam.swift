import Foundation

/// Adam (Kingma & Ba) over one flat parameter buffer, with PyTorch's bias correction and an
/// epsilon of 1e-5 as CleanRL uses (PyTorch's default 1e-8 is less stable for PPO).
public final class Adam {
    public var learningRate: Double
    public let beta1: Double
    public let beta2: Double
    public let epsilon: Double
    public private(set) var step = 0
    private let m: UnsafeMutableBufferPointer<Double>
    private let v: UnsafeMutableBufferPointer<Double>

    public init(count: Int, learningRate: Double, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-5) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        m = .allocate(capacity: count)
        m.initialize(repeating: 0)
        v = .allocate(capacity: count)
        v.initialize(repeating: 0)
    }

    deinit {
        m.deallocate()
        v.deallocate()
    }

    /// One update of `parameters` from `gradients` (same count as at init).
    public func update(_ parameters: UnsafeMutableBufferPointer<Double>, _ gradients: UnsafeMutableBufferPointer<Double>) {
        precondition(parameters.count == m.count && gradients.count == m.count)
        step += 1
        let correction1 = 1 - Foundation.pow(beta1, Double(step))
        let correction2 = 1 - Foundation.pow(beta2, Double(step))
        let stepSize = learningRate / correction1
        let root2 = correction2.squareRoot()
        let p = parameters.baseAddress!, g = gradients.baseAddress!, m = m.baseAddress!, v = v.baseAddress!
        let (b1, b2, eps) = (beta1, beta2, epsilon)
        for k in 0..<parameters.count {
            m[k] = b1 * m[k] + (1 - b1) * g[k]
            v[k] = b2 * v[k] + (1 - b2) * g[k] * g[k]
            p[k] -= stepSize * m[k] / (v[k].squareRoot() / root2 + eps)
        }
    }
}

/// Global gradient-norm clipping over several buffers, as `torch.nn.utils.clip_grad_norm_`.
public enum GradientClipping {
    /// Scales every gradient by `maxNorm / (norm + 1e-6)` when the joint L2 norm exceeds
    /// `maxNorm`; returns the norm before clipping.
    @discardableResult
    public static func clip(_ buffers: [UnsafeMutableBufferPointer<Double>], maxNorm: Double) -> Double {
        var sum = 0.0
        for buffer in buffers { for g in buffer { sum += g * g } }
        let norm = sum.squareRoot()
        let coefficient = maxNorm / (norm + 1e-6)
        if coefficient < 1 {
            for buffer in buffers { for k in buffer.indices { buffer[k] *= coefficient } }
        }
        return norm
    }
}
