import TenderCore

/// An episodic environment a PPO trainer can step: fixed-size observations, a discrete action
/// set, optionally a mask of the actions valid now.
public protocol Environment {
    var observationSize: Int { get }
    var actionCount: Int { get }
    /// Whether `writeActionMask` restricts actions (else every action is always valid).
    var masksActions: Bool { get }
    /// Starts an episode and writes its first observation.
    mutating func reset(random: inout SeededGenerator, observation: UnsafeMutablePointer<Double>)
    /// Takes `action` and writes the next observation (after a final step, the terminal one).
    mutating func step(_ action: Int, observation: UnsafeMutablePointer<Double>) -> StepResult
    /// Writes which actions are valid in the current state.
    func writeActionMask(_ mask: UnsafeMutablePointer<Bool>)
}

extension Environment {
    public var masksActions: Bool { false }
    public func writeActionMask(_ mask: UnsafeMutablePointer<Bool>) {
        for k in 0..<actionCount { mask[k] = true }
    }
}

/// What one step gave back.
public struct StepResult: Sendable, Hashable {
    public var reward: Double
    /// The episode reached a terminal state.
    public var terminated: Bool
    /// The episode was cut off (time limit) in a non-terminal state.
    public var truncated: Bool

    @inlinable
    public init(reward: Double, terminated: Bool = false, truncated: Bool = false) {
        self.reward = reward
        self.terminated = terminated
        self.truncated = truncated
    }

    public var done: Bool { terminated || truncated }
}
