import TenderCore
import TenderSim

/// The training-time bidding policy: a `BiddingPolicy` the real simulator calls like any
/// other, which samples its action from the current actor and records the decision for PPO
/// (the trainer asks the critic for the values of a whole rollout at once). Only eligible
/// decisions (capable, with a free slot) are steps: otherwise refusing is the only action and
/// there is nothing to learn.
///
/// A reference type so the simulator's copy and the trainer share the records; used from one
/// thread at a time (the simulation's), hence `@unchecked Sendable`.
public final class DecisionRecorder: BiddingPolicy, SimulationObserver, @unchecked Sendable {
    public let name = "ppo-training"
    let agent: ActorCritic
    let actions: BidActions
    var random: SeededGenerator
    /// Recorded decisions: normalised features, action, log-probability, incident.
    var features: [Double] = []
    var chosen: [Int32] = []
    var logProbabilities: [Double] = []
    var incidents: [UInt64] = []
    /// Scores of concluded incidents, by incident id.
    var scores: [UInt64: Double] = [:]
    /// Incidents escalated because nobody capable was there (`no_capable_specialist`).
    var escalatedForNobody: Set<UInt64> = []
    /// Per recorded decision: the deciding specialist's index and the round it answered (the
    /// simulator tells its observer right after the policy decides), for the fairness credit.
    var deciders: [Int32] = []
    var rounds: [UInt32] = []
    private var awaitingAnswer = false
    /// Each round's winner, by incident and round.
    var winners: [AuctionRef: Int32] = [:]
    /// Outcome counts of this collection, for the progress line.
    var resolvedTTR = 0.0, resolved = 0, breached = 0, escalated = 0, concluded = 0
    let weights: RewardWeights
    private let scratch: UnsafeMutablePointer<Double>

    init(agent: ActorCritic, actions: BidActions, weights: RewardWeights, seed: UInt64) {
        self.agent = agent
        self.actions = actions
        self.weights = weights
        random = SeededGenerator(seed: seed)
        scratch = .allocate(capacity: Observation.featureCount + actions.count)
    }

    deinit { scratch.deallocate() }

    public func decide(_ observation: Observation) -> BidDecision {
        if awaitingAnswer { noteAnswer(decider: -1, round: 0) }
        guard actions.canBid(observation) else { return actions.decision(0, observation) }
        // Who decided is only needed for the fairness credit; the training loop stays lean without.
        awaitingAnswer = weights.fairnessCredit != 0
        let n = Observation.featureCount
        observation.writeFeatures(to: scratch)
        if agent.normaliser != nil {
            agent.normaliser!.update(scratch, rows: 1)
            agent.normaliser!.apply(scratch)
        }
        features.append(contentsOf: UnsafeBufferPointer(start: scratch, count: n))
        let logits = agent.actor.forward(scratch, batch: 1)
        let logProbability = scratch + n
        Categorical.logSoftmax(logits, mask: nil, count: actions.count, into: logProbability)
        let action = Categorical.sample(logProbability, count: actions.count, random: &random)
        chosen.append(Int32(action))
        logProbabilities.append(logProbability[action])
        incidents.append(observation.incident)
        return actions.decision(action, observation)
    }

    public func concluded(
        _ incident: IncidentID, _ conclusion: Conclusion, category: IncidentCategory, severity: Severity,
        arrivedAt: Double, slaDeadline: Double, at now: Double
    ) {
        scores[incident.rawValue] = weights.score(conclusion, severity: severity, arrivedAt: arrivedAt, slaDeadline: slaDeadline, at: now)
        concluded += 1
        switch conclusion {
        case .resolved:
            resolved += 1
            resolvedTTR += now - arrivedAt
            if now > slaDeadline { breached += 1 }
        case .escalated(let escalation):
            escalated += 1
            if escalation.reason == .noCapableSpecialist { escalatedForNobody.insert(incident.rawValue) }
            breached += 1
        case .cancelled:
            break
        }
    }

    public func answered(_ ref: AuctionRef, by specialist: SpecialistID, _ decision: BidDecision, at now: Double) {
        if awaitingAnswer { noteAnswer(decider: Int32(specialist.index), round: ref.round) }
    }

    public func engineAction(_ action: EngineAction, at now: Double) {
        if weights.fairnessCredit != 0, case .awarded(let award) = action { winners[award.ref] = Int32(award.winner.index) }
    }

    private func noteAnswer(decider: Int32, round: UInt32) {
        deciders.append(decider)
        rounds.append(round)
        awaitingAnswer = false
    }

    var decisionCount: Int { chosen.count }

    /// The reward of recorded decision `k`: its incident's score (or the open penalty), plus
    /// the storm's shared fairness term, and for a refusal (action 0) of an incident later
    /// escalated because nobody capable was there, the declined-escalation penalty.
    func reward(_ k: Int, fairnessShortfall: Double, fairnessCredit credit: FairnessCredit? = nil) -> Double {
        let declined = chosen[k] == 0 && weights.declinedEscalation != 0 && escalatedForNobody.contains(incidents[k])
        var reward = (scores[incidents[k]] ?? -weights.open) - weights.fairness * fairnessShortfall - (declined ? weights.declinedEscalation : 0)
        if let credit, weights.fairnessCredit != 0, k < deciders.count, deciders[k] >= 0 {
            let specialist = Int(deciders[k])
            let won = winners[AuctionRef(incident: IncidentID(incidents[k]), round: rounds[k])] == deciders[k]
            reward += weights.fairnessCredit * credit.credit(specialist, refused: chosen[k] == 0, won: won)
        }
        return reward
    }

    func clear() {
        features.removeAll(keepingCapacity: true)
        chosen.removeAll(keepingCapacity: true)
        logProbabilities.removeAll(keepingCapacity: true)
        incidents.removeAll(keepingCapacity: true)
        scores.removeAll(keepingCapacity: true)
        escalatedForNobody.removeAll(keepingCapacity: true)
        deciders.removeAll(keepingCapacity: true)
        rounds.removeAll(keepingCapacity: true)
        winners.removeAll(keepingCapacity: true)
        awaitingAnswer = false
        (resolvedTTR, resolved, breached, escalated, concluded) = (0, 0, 0, 0, 0)
    }
}
