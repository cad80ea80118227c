import Foundation

/// A trained (PPO) bidding policy served from a checkpoint: features, frozen normalisation,
/// the actor's forward pass, masking, and the most probable action. Immutable and allocation
/// free per decision (scratch lives on the stack), so one instance serves every specialist of
/// a simulation or a live pool, from any thread.
public struct LearnedBiddingPolicy: BiddingPolicy {
    public let name: String
    public let actions: BidActions
    @usableFromInline let sizes: [Int]
    @usableFromInline let relu: Bool
    @usableFromInline let weights: [Double]
    @usableFromInline let mean: [Double]
    /// 1 / √(variance + 1e-8), precomputed.
    @usableFromInline let inverseDeviation: [Double]
    @usableFromInline let widest: Int

    public init(checkpoint: PolicyCheckpoint) throws {
        let problems = checkpoint.problems
        guard problems.isEmpty else { throw CheckpointError(path: checkpoint.name, message: problems.joined(separator: "; ")) }
        name = checkpoint.name
        actions = checkpoint.actions
        sizes = [checkpoint.architecture.inputs] + checkpoint.architecture.hidden + [checkpoint.architecture.outputs]
        relu = checkpoint.architecture.activation == "relu"
        weights = checkpoint.actorWeights
        let inputs = checkpoint.architecture.inputs
        mean = checkpoint.normalisation?.mean ?? Array(repeating: 0, count: inputs)
        inverseDeviation = checkpoint.normalisation?.variance.map { 1 / ($0 + 1e-8).squareRoot() } ?? Array(repeating: 1, count: inputs)
        // Scratch holds every feature of this build, even for a checkpoint reading a prefix.
        widest = max(sizes.max()!, Observation.featureCount)
    }

    public func decide(_ observation: Observation) -> BidDecision {
        actions.decision(action(for: observation), observation)
    }

    /// The greedy action for an observation (0 refuses; bids are masked when it cannot bid).
    @inlinable
    public func action(for observation: Observation) -> Int {
        guard actions.canBid(observation) else { return 0 }
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * widest) { scratch in
            let a = scratch.baseAddress!
            let b = a + widest
            observation.writeFeatures(to: a)
            let inputs = sizes[0]
            for j in 0..<inputs { a[j] = min(max((a[j] - mean[j]) * inverseDeviation[j], -10), 10) }
            let out = forward(a, b)
            var best = 0
            for k in 1..<sizes.last! where out[k] > out[best] { best = k }
            return best
        }
    }

    /// The actor's logits for normalised features in `a` (`b` is scratch); returns where the
    /// logits are (`a` or `b`).
    @inlinable
    func forward(_ a: UnsafeMutablePointer<Double>, _ b: UnsafeMutablePointer<Double>) -> UnsafeMutablePointer<Double> {
        weights.withUnsafeBufferPointer { w in
            var input = a
            var output = b
            var offset = 0
            for layer in 0..<(sizes.count - 1) {
                let n = sizes[layer], m = sizes[layer + 1]
                let weight = w.baseAddress! + offset
                let bias = weight + n * m
                output.update(from: bias, count: m)
                for i in 0..<n {
                    let x = input[i]
                    // Nine of the twelve one-hot inputs are zero: skip their rows.
                    if x == 0 { continue }
                    let row = weight + i * m
                    for o in 0..<m { output[o] += x * row[o] }
                }
                if layer < sizes.count - 2 {
                    if relu {
                        for o in 0..<m { output[o] = max(output[o], 0) }
                    } else {
                        FastTanh.apply(output, count: m)
                    }
                }
                offset += n * m + m
                swap(&input, &output)
            }
            return input
        }
    }
}
