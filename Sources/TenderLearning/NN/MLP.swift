import TenderCore

/// A multilayer perceptron: dense layers with one hidden activation and a linear output. All
/// parameters (and their gradients) live in one contiguous buffer each, allocated once, and the
/// activations of the last forward pass are kept for the backward pass; a forward or backward
/// pass allocates nothing unless the batch outgrows every batch before it.
public final class MLP {
    /// Layer widths from input to output, e.g. `[4, 64, 64, 2]`.
    public let sizes: [Int]
    public let activation: Activation
    public let layers: [DenseLayer]
    public let parameterCount: Int
    /// The parameters; `layers` index into it.
    public let parameters: UnsafeMutableBufferPointer<Double>
    /// Gradients accumulated by `backward`, same layout as `parameters`.
    public let gradients: UnsafeMutableBufferPointer<Double>
    /// Per layer boundary: the values of the last forward pass, `capacity × sizes[k]`.
    private var values: [UnsafeMutablePointer<Double>] = []
    /// Two scratch gradients, ping-ponged through the backward pass.
    private var scratch: (UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>)
    private var capacity = 0
    private let widest: Int

    public init(sizes: [Int], activation: Activation) {
        precondition(sizes.count >= 2 && sizes.allSatisfy { $0 > 0 }, "an MLP needs at least an input and an output width")
        self.sizes = sizes
        self.activation = activation
        var offset = 0
        var layers: [DenseLayer] = []
        for k in 0..<(sizes.count - 1) {
            let layer = DenseLayer(inputs: sizes[k], outputs: sizes[k + 1], offset: offset)
            offset += layer.parameterCount
            layers.append(layer)
        }
        self.layers = layers
        parameterCount = offset
        parameters = .allocate(capacity: offset)
        parameters.initialize(repeating: 0)
        gradients = .allocate(capacity: offset)
        gradients.initialize(repeating: 0)
        widest = sizes.max()!
        scratch = (.allocate(capacity: 1), .allocate(capacity: 1))
        reserve(batch: 1)
    }

    deinit {
        parameters.deallocate()
        gradients.deallocate()
        for buffer in values { buffer.deallocate() }
        scratch.0.deallocate()
        scratch.1.deallocate()
    }

    /// Makes room for batches of `batch` rows (the only place a pass can allocate).
    public func reserve(batch: Int) {
        guard batch > capacity else { return }
        for buffer in values { buffer.deallocate() }
        values = sizes.map { UnsafeMutablePointer<Double>.allocate(capacity: batch * $0) }
        scratch.0.deallocate()
        scratch.1.deallocate()
        scratch = (.allocate(capacity: batch * widest), .allocate(capacity: batch * widest))
        capacity = batch
    }

    /// CleanRL's initialisation: orthogonal weights with gain √2 in hidden layers and
    /// `outputGain` in the last, zero biases.
    public func initialise(outputGain: Double, random: inout SeededGenerator) {
        for (k, layer) in layers.enumerated() {
            let gain = k == layers.count - 1 ? outputGain : 2.0.squareRoot()
            let weights = Orthogonal.matrix(rows: layer.inputs, columns: layer.outputs, gain: gain, random: &random)
            for (j, w) in weights.enumerated() { parameters[layer.weightOffset + j] = w }
            for o in 0..<layer.outputs { parameters[layer.biasOffset + o] = 0 }
        }
    }

    /// Runs `batch` rows of `input` (`batch × sizes[0]`) forward; returns the outputs
    /// (`batch × sizes.last`), valid until the next pass.
    @discardableResult
    public func forward(_ input: UnsafePointer<Double>, batch: Int) -> UnsafePointer<Double> {
        reserve(batch: batch)
        values[0].update(from: input, count: batch * sizes[0])
        let params = UnsafePointer(parameters.baseAddress!)
        for (k, layer) in layers.enumerated() {
            layer.forward(params, values[k], values[k + 1], batch: batch)
            if k < layers.count - 1 { activation.forward(values[k + 1], count: batch * layer.outputs) }
        }
        return UnsafePointer(values[layers.count])
    }

    /// Back-propagates `outputGradient` (`batch × sizes.last`, the loss's gradient with respect
    /// to the last forward pass's outputs) and adds the parameter gradients into `gradients`.
    public func backward(_ outputGradient: UnsafePointer<Double>, batch: Int) {
        let params = UnsafePointer(parameters.baseAddress!)
        let grads = gradients.baseAddress!
        var current = scratch.0
        var next = scratch.1
        current.update(from: outputGradient, count: batch * sizes.last!)
        for k in stride(from: layers.count - 1, through: 0, by: -1) {
            let layer = layers[k]
            layer.backward(params, grads, values[k], current, k > 0 ? next : nil, batch: batch)
            if k > 0 {
                activation.backward(next, outputs: values[k], count: batch * layer.inputs)
                swap(&current, &next)
            }
        }
    }

    public func zeroGradients() {
        gradients.update(repeating: 0)
    }

    /// The parameters as an array (checkpoints, tests).
    public var parameterArray: [Double] { Array(parameters) }

    /// Replaces every parameter; the count must match.
    public func load(_ values: [Double]) throws {
        guard values.count == parameterCount else {
            throw LearningError("network \(sizes) expects \(parameterCount) parameters, got \(values.count)")
        }
        for (k, value) in values.enumerated() { parameters[k] = value }
    }
}

/// An error of the learning stack, with what went wrong in words.
public struct LearningError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
