import TenderCore

/// CleanRL's agent for discrete actions: separate actor (logits) and critic (value) networks
/// of the same hidden shape, plus the frozen or running observation normaliser.
public final class ActorCritic {
    public let observationSize: Int
    public let actionCount: Int
    public let actor: MLP
    public let critic: MLP
    public var normaliser: RunningNormaliser?

    public init(observationSize: Int, actionCount: Int, hidden: [Int], activation: Activation, normalise: Bool) {
        self.observationSize = observationSize
        self.actionCount = actionCount
        actor = MLP(sizes: [observationSize] + hidden + [actionCount], activation: activation)
        critic = MLP(sizes: [observationSize] + hidden + [1], activation: activation)
        normaliser = normalise ? RunningNormaliser(size: observationSize) : nil
    }

    /// Orthogonal initialisation: actor output gain 0.01 (near-uniform first policy), critic 1.
    public func initialise(random: inout SeededGenerator) {
        actor.initialise(outputGain: 0.01, random: &random)
        critic.initialise(outputGain: 1, random: &random)
    }

    /// The greedy action for one raw observation (normalised here when the agent normalises);
    /// `scratch` holds `observationSize + actionCount` values so serving allocates nothing.
    @inline(__always)
    public func act(
        _ observation: UnsafePointer<Double>, mask: UnsafePointer<Bool>?, scratch: UnsafeMutablePointer<Double>
    ) -> Int {
        scratch.update(from: observation, count: observationSize)
        normaliser?.apply(scratch)
        let logits = actor.forward(scratch, batch: 1)
        let logProbabilities = scratch + observationSize
        guard Categorical.logSoftmax(logits, mask: mask, count: actionCount, into: logProbabilities) else { return 0 }
        return Categorical.mode(logProbabilities, count: actionCount)
    }
}
