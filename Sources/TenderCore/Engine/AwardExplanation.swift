/// Why a round's winner won: every proposal as the award rule scored it (raw ETA, the
/// calibration correction, the expected cost of failure, the score) and which rule separated
/// the winner from the runner-up. What `tender show` and `GET /v1/incidents/{id}` display.
public struct AwardExplanation: Sendable, Hashable {
    /// One proposal of the round, scored.
    public struct ScoredBid: Sendable, Hashable {
        public var specialist: SpecialistID
        /// The raw bid: promised seconds to resolve.
        public var eta: Double
        public var confidence: Double
        /// The calibration the ETA was multiplied by (1: taken at its word, or reputation off).
        public var correction: Double
        /// Seconds added for the odds of failing above the prior (0 with reputation off).
        public var expectedFailureCost: Double
        /// What the award compared (lower wins).
        public var score: Double
        /// False when the bidder had no free slot left as the round closed: not in the running.
        public var considered: Bool

        public init(specialist: SpecialistID, eta: Double, confidence: Double, correction: Double, expectedFailureCost: Double, score: Double, considered: Bool) {
            self.specialist = specialist
            self.eta = eta
            self.confidence = confidence
            self.correction = correction
            self.expectedFailureCost = expectedFailureCost
            self.score = score
            self.considered = considered
        }
    }

    /// The rule that decided between the winner and the runner-up, in the order the award
    /// applies them (`AwardRule`).
    public enum Decider: String, Sendable, Hashable, CaseIterable {
        /// Nobody else was in the running.
        case onlyBid = "only_bid"
        case lowestScore = "lowest_score"
        /// Equal scores: the lower raw ETA.
        case lowerETA = "tie_lower_eta"
        /// Equal scores and ETAs: the bidder holding less of its capacity.
        case lessLoaded = "tie_less_loaded"
        /// ... then the one awarded less so far.
        case fewerAwards = "tie_fewer_awards"
        /// ... then the lower specialist id.
        case lowerID = "tie_lower_id"

        /// In words, for people.
        public var phrase: String {
            switch self {
            case .onlyBid: "the only bid in the running"
            case .lowestScore: "the lowest score"
            case .lowerETA: "a tie on score, broken by the lower bid"
            case .lessLoaded: "a tie on score and bid, broken by the lighter load"
            case .fewerAwards: "a tie on score, bid and load, broken by fewer awards so far"
            case .lowerID: "a full tie, broken by the lower specialist id"
            }
        }
    }

    /// The round's proposals in the order the calls went out.
    public var bids: [ScoredBid]
    public var decider: Decider
    /// The best of the others, when there was one in the running.
    public var runnerUp: SpecialistID?

    public init(bids: [ScoredBid], decider: Decider, runnerUp: SpecialistID?) {
        self.bids = bids
        self.decider = decider
        self.runnerUp = runnerUp
    }
}

extension Auctioneer {
    /// A proposal scored as `close` scores it: (score, correction, expected failure cost).
    func scoreParts(_ bid: Bid, from id: SpecialistID, for ticket: IncidentTicket) -> (Double, Double, Double) {
        if usesReputation { return reputationScore(bid.eta, from: id, for: ticket.category) }
        return (scoresByETA ? bid.eta : awardRule!.score(bid, from: id, for: ticket, in: specialists), 1, 0)
    }

    /// Explain the award of the round at `slot` to `winner`. Called before the award is counted,
    /// so the tie-breaks see the table the decision saw.
    func explainAward(_ slot: Int, winner: SpecialistID) -> AwardExplanation {
        let ticket = records[slot].ticket
        var bids: [AwardExplanation.ScoredBid] = []
        for (index, id) in records[slot].invited.enumerated() {
            guard case .proposed(let bid) = records[slot].answers[index] else { continue }
            let (score, correction, cost) = scoreParts(bid, from: id, for: ticket)
            bids.append(AwardExplanation.ScoredBid(specialist: id, eta: bid.eta, confidence: bid.confidence, correction: correction,
                                                   expectedFailureCost: cost, score: score, considered: specialists.hasFreeSlot(id)))
        }
        guard let won = bids.first(where: { $0.specialist == winner }) else {
            return AwardExplanation(bids: bids, decider: .onlyBid, runnerUp: nil)
        }
        var runnerUp: AwardExplanation.ScoredBid?
        for bid in bids where bid.considered && bid.specialist != winner {
            if let best = runnerUp, !ranksBefore(bid, best) { continue }
            runnerUp = bid
        }
        guard let runnerUp else { return AwardExplanation(bids: bids, decider: .onlyBid, runnerUp: nil) }
        return AwardExplanation(bids: bids, decider: decider(won, over: runnerUp), runnerUp: runnerUp.specialist)
    }

    /// The award's order (`close`): lower score, then lower ETA, then the fairness tie-breaks.
    private func ranksBefore(_ a: AwardExplanation.ScoredBid, _ b: AwardExplanation.ScoredBid) -> Bool {
        if a.score != b.score { return a.score < b.score }
        if a.eta != b.eta { return a.eta < b.eta }
        return specialists.winsTie(a.specialist, over: b.specialist)
    }

    private func decider(_ winner: AwardExplanation.ScoredBid, over other: AwardExplanation.ScoredBid) -> AwardExplanation.Decider {
        if winner.score != other.score { return .lowestScore }
        if winner.eta != other.eta { return .lowerETA }
        let (i, j) = (winner.specialist.index, other.specialist.index)
        let table = specialists
        if table.loads[i] * max(table.capacities[j], 1) != table.loads[j] * max(table.capacities[i], 1) { return .lessLoaded }
        if table.awards[i] != table.awards[j] { return .fewerAwards }
        return .lowerID
    }
}
