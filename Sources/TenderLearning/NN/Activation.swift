import TenderCore

/// The hidden-layer nonlinearity of a network.
public enum Activation: String, Sendable, Codable, CaseIterable {
    case tanh, relu

    /// Applies the activation in place to `count` values.
    @inline(__always)
    public func forward(_ values: UnsafeMutablePointer<Double>, count: Int) {
        switch self {
        case .tanh: FastTanh.apply(values, count: count)
        case .relu: for k in 0..<count { values[k] = max(values[k], 0) }
        }
    }

    /// Turns the gradient with respect to the output into the gradient with respect to the
    /// input, in place, from the activation's outputs `y` (both tanh and relu derive from them).
    @inline(__always)
    public func backward(_ gradient: UnsafeMutablePointer<Double>, outputs y: UnsafePointer<Double>, count: Int) {
        switch self {
        case .tanh: for k in 0..<count { gradient[k] *= 1 - y[k] * y[k] }
        case .relu: for k in 0..<count where y[k] <= 0 { gradient[k] = 0 }
        }
    }
}
