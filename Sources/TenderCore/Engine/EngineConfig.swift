/// The knobs of the contract-net engine. All durations are in seconds.
public struct EngineConfig: Sendable {
    /// How long invited specialists have to answer a call for proposals.
    public var replyWindow: Double = 0.25
    /// Rounds that may end without success (no acceptable bid, or a failed winner) before the
    /// incident is escalated.
    public var maxAttempts: Int = 4
    /// Wait before re-announcing after a round with no acceptable bid or a failure; doubled each
    /// further attempt, capped by `maxRetryBackoff`.
    public var retryBackoff: Double = 0.5
    public var maxRetryBackoff: Double = 30
    /// An awarded specialist must report by `commitSlack × bid ETA + commitGrace` after the award.
    public var commitSlack: Double = 3
    public var commitGrace: Double = 5
    /// Commitment window for allocations made without a bid (direct allocators).
    public var directCommitment: Double = 3600
    /// Skill below which a specialist is not invited for a category.
    public var minimumSkill: Double = 0.1
    /// Sparrow-style fan-out bound: invite at most this many of the eligible specialists, sampled
    /// at random. Nil invites every eligible specialist with a free slot.
    public var cfpSampleSize: Int? = nil
    /// Which backlog order incidents waiting for capacity follow.
    public var backlogOrder: BacklogOrder = .priority
    /// Seed for the engine's own draws (CFP sampling). Same seed, same auctions.
    public var seed: UInt64 = 0x7E4D_E700

    public init() {}

    /// The backoff before attempt `attempt` (1-based count of failed attempts so far).
    func backoff(afterAttempt attempt: Int) -> Double {
        let doubling = Double(1 << min(max(attempt - 1, 0), 30))
        return min(retryBackoff * doubling, maxRetryBackoff)
    }
}

/// How the backlog orders incidents waiting for capacity.
public enum BacklogOrder: String, Sendable, CaseIterable {
    /// Most severe first, then oldest first.
    case priority
    /// Oldest first, whatever the severity (what queueing theory calls FCFS).
    case fifo
}
