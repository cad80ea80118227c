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
        let name = session(award.winner)?.name ?? "specialist-\(award.winner.rawValue)"
        let raw = award.bid?.eta ?? 0
        let why: String
        if let bid = award.bid {
            why = "lowest score \(Self.figure(award.score)) of \(award.proposals) proposal\(award.proposals == 1 ? "" : "s") (bid eta \(Self.figure(bid.eta)) s, confidence \(Self.figure(bid.confidence)); second-best score \(Self.figure(award.secondPrice)))"
        } else {
            why = "assigned directly (no bid)"
        }
        recordStore.submit([.award(incident: award.ref.incident.rawValue, round: Int(award.ref.round), specialist: name,
                                   rawBid: raw, correction: award.score - raw, score: award.score, why: why, at: wallClock)])
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
