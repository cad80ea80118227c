/// The knobs of the contract-net engine. All durations are in seconds.
public struct EngineConfig: Sendable {
    /// How long invited specialists have to answer a call for proposals.
    public var replyWindow: Double = 0.25
    /// Real failures (failure reports, silent winners, winners that left, plans rolled back or
    /// refused) before the incident is escalated (`attempts_exhausted`). Refusals for capacity,
    /// declines and "nobody connected" are waits, not attempts.
    public var maxAttempts: Int = 4
    /// Wait before re-announcing after a failure, or before looking again at an incident nobody
    /// bid on or everyone refused for capacity; doubled each time, capped by `maxRetryBackoff`
    /// (failures) or `maxRecheckInterval` (waits).
    public var retryBackoff: Double = 0.5
    public var maxRetryBackoff: Double = 30
    /// Longest interval between looks at an incident waiting after refusals (see `recheck`).
    public var maxRecheckInterval: Double = 60
    /// Escalate (`no_capable_specialist`) once no capable specialist has been present, or every
    /// present one has declined, for this long without a break. Until then the incident waits:
    /// a coordinator whose specialists are restarting must not page humans for everything.
    public var noCapableTimeout: Double = 300
    /// Escalate (`sla_at_risk`) an incident still waiting for a specialist (backlogged, or between
    /// attempts) once this fraction of its SLA window (`slaDeadline − createdAt`) has passed.
    /// Nil turns the rule off. Incidents being worked on or executed are not escalated by it.
    public var slaRiskFraction: Double? = 0.9
    /// Whether a winner's plan (`OutcomeKind.result`) is executed before the incident counts as
    /// resolved: the engine emits `.execute` and waits for `.executionFinished`. Off, the plan's
    /// arrival resolves the incident (drivers without an executor).
    public var executesPlans = false
    /// Whether a specialist whose plan was rolled back or refused is left out of the incident's
    /// later rounds (while another capable specialist is present).
    public var excludesFailedSpecialists = true
    /// Past performance in awards (docs/ENGINE.md, "Reputation").
    public var reputation = ReputationSettings()
    /// Whether each `Award` carries its `AwardExplanation` (every proposal scored, and the rule
    /// that decided). The live coordinator stores it; the simulator leaves it off, since it costs
    /// an allocation per award.
    public var explainsAwards = false
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

    /// The retry backoffs and recheck intervals of a coordinator whose storm plays `scale` wall
    /// seconds per scenario second (`tender up --time-scale 0.005`), so that work refused or
    /// failed waits as long in scenario time as in the simulator. Unscaled, a 60 s recheck cap
    /// is 12,000 scenario seconds at ×0.005: a bidder that defers work (the learned policies
    /// refuse most calls and let the backlog bring them back) then leaves it waiting for hours
    /// of the storm. The reply window stays as it is (it is messaging, in wall time), and so
    /// does the no-capable timeout (a pool restarting a specialist takes wall seconds, and
    /// humans must not be paged sooner because a demo is fast). A scale outside (0, 1) changes
    /// nothing.
    public mutating func scaleWaits(by scale: Double) {
        guard scale > 0, scale < 1 else { return }
        retryBackoff *= scale
        maxRetryBackoff *= scale
        maxRecheckInterval *= scale
    }

    /// The wait before look number `look` (1-based) at an incident waiting after refusals.
    func recheckDelay(look: Int) -> Double {
        let doubling = Double(1 << min(max(look - 1, 0), 30))
        return min(retryBackoff * doubling, maxRecheckInterval)
    }

    /// When an incident created at `created` with deadline `deadline` is at risk of missing it.
    func slaRiskPoint(created: Instant, deadline: Instant) -> Instant? {
        guard let fraction = slaRiskFraction else { return nil }
        return created + max(0, deadline - created) * fraction
    }
}

/// How the backlog orders incidents waiting for capacity.
public enum BacklogOrder: String, Sendable, CaseIterable {
    /// Most severe first, then oldest first.
    case priority
    /// Oldest first, whatever the severity (what queueing theory calls FCFS).
    case fifo
}
