import Foundation
import TenderCore
import TenderStore

/// What the coordinator writes to the system of record besides incidents: each auction round
/// with its invitees, every bid and refusal (late or not), each award and why, and specialist
/// sessions. Fire and forget through the store's writer thread; nothing here blocks the loop.
/// Without `--db` (`recordStore` nil) these are no-ops.
extension Coordinator {
    private var wallClock: Double { Date().timeIntervalSince1970 }

    func openAuctionRecord(_ ref: AuctionRef) {
        guard recordStore != nil else { return }
        if announcing != nil { closeAuctionRecord() }
        announcing = (ref, [], nil)
    }

    func noteInvitation(_ ref: AuctionRef, session: SpecialistSession, replyBy: Instant) {
        auctionDeadlines[ref.incident] = (ref.round, replyBy)
        guard announcing?.ref == ref else { return }
        announcing?.invited.append(session.name)
        announcing?.replyBy = replyBy
    }

    /// Write the round announced by the actions just carried out, with all its invitees.
    func closeAuctionRecord() {
        guard let (ref, invited, replyBy) = announcing else { return }
        announcing = nil
        guard let recordStore else { return }
        let at = wallClock
        let closesAt = replyBy.map { at + max(0, $0 - now()) }
        recordStore.submit([.auctionOpened(incident: ref.incident.rawValue, round: Int(ref.round), at: at, closesAt: closesAt, invited: invited)])
    }

    /// A proposal (`eta`) or a refusal (`refusal`) as it arrived; late once past the round's deadline.
    func recordBid(_ ref: AuctionRef, from session: SpecialistSession, eta: Double?, refusal: String?) {
        guard let recordStore else { return }
        var late = false
        if let deadline = auctionDeadlines[ref.incident] {
            late = deadline.round != ref.round || now() > deadline.replyBy
        }
        recordStore.submit([.bid(incident: ref.incident.rawValue, round: Int(ref.round), specialist: session.name, value: eta, refusal: refusal, late: late, at: wallClock)])
    }

    func recordAward(_ award: Award) {
        guard let recordStore else { return }
        recordStore.submit([.award(awardRecord(award, at: wallClock))])
    }

    /// The award as the store keeps it: the engine's explanation with names for ids.
    func awardRecord(_ award: Award, at: Double) -> AwardRecord {
        let name = specialistName(award.winner)
        let bids = (award.explanation?.bids ?? []).map { bid in
            ScoredBidRecord(specialist: specialistName(bid.specialist), rawBid: bid.eta, confidence: bid.confidence, correction: bid.correction,
                            failureCost: bid.expectedFailureCost, score: bid.score, considered: bid.considered)
        }
        let decider = award.explanation?.decider
        let why: String
        if award.bid != nil {
            let runnerUp = award.explanation?.runnerUp.map(specialistName)
            let base = "won on \(decider?.phrase ?? "the lowest score") (score \(Self.figure(award.score)) of \(award.proposals) proposal\(award.proposals == 1 ? "" : "s")"
            why = base + (runnerUp.map { "; runner-up \($0), score \(Self.figure(award.secondPrice)))" } ?? ")")
        } else {
            why = "assigned directly (no bid)"
        }
        return AwardRecord(incident: award.ref.incident.rawValue, round: Int(award.ref.round), specialist: name, rawBid: award.bid?.eta ?? 0,
                           correction: award.correction, failureCost: award.expectedFailureCost, score: award.score,
                           decider: award.bid == nil ? nil : decider?.rawValue, why: why, at: at, bids: bids)
    }

    private func specialistName(_ id: SpecialistID) -> String {
        session(id)?.name ?? engine.specialists.info(id)?.name ?? "specialist-\(id.rawValue)"
    }

    func recordSessionOpened(_ session: SpecialistSession) {
        guard let recordStore else { return }
        session.recordID = nextSessionRecord
        nextSessionRecord += 1
        recordStore.submit([.sessionOpened(id: session.recordID, specialist: session.name, kind: session.kind?.rawValue ?? "unknown", peer: session.connection.label, at: wallClock)])
    }

    func recordSessionClosed(_ session: SpecialistSession, reason: String?) {
        guard let recordStore, session.recordID > 0 else { return }
        recordStore.submit([.sessionClosed(id: session.recordID, reason: reason ?? "closed", at: wallClock)])
    }

    private static func figure(_ value: Double) -> String { String(format: "%.3g", value) }
}
