import TenderCore

/// Wraps a bidding policy and tallies what it does with the calls it could bid on: how often
/// it bids, refuses, and the mean multiplier of its bids on the honest ETA. The evaluation uses
/// it to show whether a learned policy's gains come from promising less time than it needs
/// (a mean multiplier below 1) or from choosing which work to take.
///
/// A reference type shared by the simulation's copies; one simulation thread at a time.
final class BidTally: BiddingPolicy, @unchecked Sendable {
    let inner: any BiddingPolicy
    var name: String { inner.name }
    /// Decisions by a capable specialist with a free slot (the ones a policy really chooses).
    private(set) var eligible = 0
    private(set) var bids = 0
    private(set) var refusals = 0
    private(set) var multiplierSum = 0.0

    init(_ inner: any BiddingPolicy) { self.inner = inner }

    func decide(_ observation: Observation) -> BidDecision {
        let decision = inner.decide(observation)
        guard BidActions.standard.canBid(observation) else { return decision }
        eligible += 1
        switch decision {
        case .bid(let bid):
            bids += 1
            if observation.honestETA.isFinite, observation.honestETA > 0 { multiplierSum += bid.eta / observation.honestETA }
        case .refuse:
            refusals += 1
        }
        return decision
    }

    /// Mean bid ÷ honest ETA (nil before any bid).
    var meanMultiplier: Double? { bids > 0 ? multiplierSum / Double(bids) : nil }
    /// Share of eligible calls refused (nil before any).
    var refusalShare: Double? { eligible > 0 ? Double(refusals) / Double(eligible) : nil }
}
