/// Answers to calls for proposals, the evaluation that closes a round, and the award.
extension Auctioneer {
    mutating func propose(_ ref: AuctionRef, _ from: SpecialistID, _ bid: Bid, _ now: Instant, _ actions: inout [EngineAction]) {
        // Anything not addressed to the round that is open right now arrived too late:
        // FIPA leaves this to the initiator, and we answer it rather than drop it silently.
        guard let slot = recordOf.find(ref.incident), records[slot].round == ref.round, records[slot].phase == .announcing else {
            actions.append(.sendReject(ref, to: from, .late))
            return
        }
        guard let index = records[slot].invitation(of: from) else {
            actions.append(.sendReject(ref, to: from, .notInvited))
            return
        }
        guard case .pending = records[slot].answers[index] else {
            actions.append(.sendReject(ref, to: from, .duplicate))
            return
        }
        if records[slot].answer(index, .proposed(bid)) { close(slot, now, &actions) }
    }

    mutating func refuse(_ ref: AuctionRef, _ from: SpecialistID, _ reason: RefusalReason, _ now: Instant, _ actions: inout [EngineAction]) {
        guard let slot = recordOf.find(ref.incident), records[slot].round == ref.round, records[slot].phase == .announcing else {
            actions.append(.ignored(ref, from: from, .stale))
            return
        }
        guard let index = records[slot].invitation(of: from), case .pending = records[slot].answers[index] else {
            actions.append(.ignored(ref, from: from, .unexpectedRefusal))
            return
        }
        if records[slot].answer(index, .refused(reason)) { close(slot, now, &actions) }
    }

    /// Evaluate the round's proposals: accept the best one from a specialist that still has a free
    /// slot, reject every other proposal, and decide what happens if nobody can be awarded.
    mutating func close(_ slot: Int, _ now: Instant, _ actions: inout [EngineAction]) {
        guard awardRule != nil else { return }
        let ticket = records[slot].ticket
        let invited = records[slot].invited
        let answers = records[slot].answers
        var bestIndex = -1
        var best = (id: SpecialistID(UInt32.max), bid: Bid(eta: 0), score: 0.0)
        var secondScore = Double.infinity
        var proposals = 0
        var capacityBlocked = false
        var declined = false
        var notActionable = false
        // A capacity refusal from a specialist holding no Tender task: busy with outside work,
        // or a refusal that crossed its last outcome. No outcome of ours will wake the backlog
        // for it, so the incident must be looked at again on a timer.
        var idleRefuser = false

        for index in 0..<invited.count {
            switch answers[index] {
            case .pending:
                continue
            case .refused(let reason):
                switch reason {
                case .atCapacity:
                    capacityBlocked = true
                    if specialists.load(invited[index]) == 0 { idleRefuser = true }
                case .declined: declined = true
                case .notActionable: notActionable = true
                case .notCapable: break
                }
            case .proposed(let bid):
                proposals += 1
                let id = invited[index]
                guard specialists.hasFreeSlot(id) else {
                    capacityBlocked = true
                    continue
                }
                let score = usesReputation ? reputationScore(bid.eta, from: id, for: ticket.category).0
                    : scoresByETA ? bid.eta : awardRule!.score(bid, from: id, for: ticket, in: specialists)
                if bestIndex >= 0 {
                    if score < best.score
                        || (score == best.score && (bid.eta < best.bid.eta
                            || (bid.eta == best.bid.eta && specialists.winsTie(id, over: best.id)))) {
                        secondScore = best.score
                        best = (id, bid, score)
                        bestIndex = index
                    } else {
                        secondScore = min(secondScore, score)
                    }
                } else {
                    best = (id, bid, score)
                    bestIndex = index
                }
            }
        }

        // Explained before the rejections and the award change the table the decision saw.
        let explanation = bestIndex >= 0 && config.explainsAwards ? explainAward(slot, winner: best.id) : nil
        let ref = records[slot].ref
        for index in 0..<invited.count where index != bestIndex {
            guard case .proposed = answers[index] else { continue }
            let id = invited[index]
            actions.append(.sendReject(ref, to: id, specialists.hasFreeSlot(id) ? .outbid : .noCapacity))
        }

        endInvitations(slot)
        var waitsForOutcome = false
        if bestIndex >= 0 {
            let second = secondScore.isFinite ? secondScore : best.score
            award(slot, to: best.id, bid: best.bid, score: best.score, secondPrice: second, proposals: proposals, explanation: explanation, now, &actions)
        } else if notActionable, !capacityBlocked, !declined {
            // Every capable answer says the incident cannot be acted on as reported: asking
            // again would get the same answer, so hand it to humans now, with the reason.
            escalate(slot, .notActionable, detail: records[slot].notActionableDetail, &actions)
        } else if capacityBlocked {
            // Busy, not failed: wait in the backlog for a slot. Refusers holding Tender tasks are
            // woken by their outcomes; for one holding none, look again on a growing delay.
            // The invitees that refused are not offered the backlog now: its head is likely this
            // very incident, and they would refuse it again at once.
            records[slot].unavailableSince = -1
            enterBacklog(slot, now, &actions, recheck: idleRefuser)
            waitsForOutcome = true
        } else {
            // Nobody bid, for reasons other than capacity: wait and ask again; not an attempt.
            waitForBids(slot, now, &actions)
        }
        refillIdleSlots(after: slot, skippingRefusers: waitsForOutcome, now, &actions)
    }

    /// The round at `slot` no longer holds its invitees' free slots.
    mutating func endInvitations(_ slot: Int) {
        specialists.addInvitations(records[slot].invited, -1)
    }

    /// Offer the idle slots of the invitees of the round at `slot`, just closed, to the backlog:
    /// a round that awarded someone else, found no bid or was cancelled must not leave a freed
    /// slot unused. The invitees are copied first, since draining may re-announce this very
    /// record (its round may have sent it to the backlog), which would replace them.
    /// With `skippingRefusers`, invitees that refused are left out (see `close`).
    mutating func refillIdleSlots(after slot: Int, skippingRefusers: Bool = false, _ now: Instant, _ actions: inout [EngineAction]) {
        guard backlog.storedCount > 0 else { return }
        closing.removeAll(keepingCapacity: true)
        if skippingRefusers {
            let answers = records[slot].answers
            for (index, id) in records[slot].invited.enumerated() {
                if case .refused = answers[index] { continue }
                closing.append(id)
            }
        } else {
            closing.append(contentsOf: records[slot].invited)
        }
        var index = 0
        while index < closing.count {
            let id = closing[index]
            index += 1
            drainBacklog(into: id, now, &actions)
        }
    }

    mutating func award(
        _ slot: Int, to winner: SpecialistID, bid: Bid?, score: Double, secondPrice: Double,
        proposals: Int, explanation: AwardExplanation? = nil, _ now: Instant, _ actions: inout [EngineAction]
    ) {
        let window = bid.map { config.commitSlack * $0.eta + config.commitGrace } ?? config.directCommitment
        let commitBy = now + window
        let ref = records[slot].ref
        records[slot].markAwarded(to: winner)
        records[slot].awardedAt = now
        records[slot].promisedETA = bid?.eta ?? 0
        specialists.recordAward(winner)
        actions.append(.sendAccept(ref, to: winner, commitBy: commitBy))
        var award = Award(
            ref: ref, winner: winner, bid: bid, score: score, secondPrice: secondPrice,
            proposals: proposals, commitBy: commitBy, explanation: explanation
        )
        if usesReputation, let bid {
            (_, award.correction, award.expectedFailureCost) = reputationScore(bid.eta, from: winner, for: records[slot].ticket.category)
        }
        actions.append(.awarded(award))
        actions.append(.armTimer(EngineTimer(.commitment, ref), at: commitBy))
    }
}
