import Foundation
import TenderCore
import TenderStore
import TenderUV
import TenderWire

/// Carrying out the engine's actions: frames to specialists, timers, records, statistics.
extension Coordinator {
    func carry(_ action: EngineAction, at instant: Instant) {
        switch action {
        case .sendCFP(let ref, let to, let replyBy):
            guard let session = session(to), let frame = cfpFrame(ref, replyBy: replyBy, now: instant) else { return }
            session.connection.send(frame: frame)
            noteInvitation(ref, session: session, replyBy: replyBy)
        case .sendAccept, .sendReject, .sendCancel:
            guard let (to, envelope) = WireMapping.message(for: action, at: instant) else { return }
            session(to)?.connection.send(envelope)
        case .armTimer(let timer, let at):
            timers.schedule(timer, at: at)
        case .announced(let ref, let invited):
            stats.auctions += 1
            announcedInvited = invited
            openAuctionRecord(ref)
            live[ref.incident]?.announcedAt = EventLoop.monotonicNanoseconds()
        case .awarded(let award):
            stats.awards += 1
            recordAward(award)
            if let announced = live[award.ref.incident]?.announcedAt, announced > 0 {
                let micros = (EventLoop.monotonicNanoseconds() - announced) / 1000
                _ = stats.cfpToAward.record(micros)
                admission.record(latency: Double(micros) / 1_000_000, inFlight: openIncidents, at: instant)
            }
        case .backlogged:
            stats.backlogged += 1
        case .retrying(let incident, let attempt, let why):
            // A re-auction: the attempt failed (no bid, winner failed, silent or gone). Rounds
            // reopened from the backlog are not counted; they are waits for capacity.
            stats.reauctions += 1
            logger.info("re-auctioning after a setback", metadata: ["incident": "\(incident)", "attempt": "\(attempt)", "why": "\(why.name)"])
        case .execute(let ref, let by):
            executePlan(ref, by: by)
        case .concluded(let incident, let conclusion):
            conclude(incident, conclusion, at: instant)
        case .ignored(let ref, let from, let reason):
            logger.debug("ignored message", metadata: ["auction": "\(ref)", "from": "\(from)", "reason": "\(reason)"])
        case .duplicateIncident(let incident):
            logger.error("duplicate incident id", metadata: ["incident": "\(incident)"])
        }
    }

    /// The CFP for a round, encoded once and reused for every invitee of that round. Nil (and
    /// logged) if it would be a frame the specialists refuse: intake bounds incidents so that
    /// this cannot happen, and if it ever did, sending it would disconnect every invitee.
    /// The CFP of the round being announced, as every invitee receives it: with the number of
    /// specialists invited, which the engine announced just before the invitations.
    func callForProposals(_ ref: AuctionRef, replyBy: Instant, now: Instant) -> WireCallForProposals? {
        guard let incident = live[ref.incident]?.incident else { return nil }
        return WireMapping.cfp(incident, ref: ref, replyBy: replyBy, invited: announcedInvited, now: now)
    }

    private func cfpFrame(_ ref: AuctionRef, replyBy: Instant, now: Instant) -> [UInt8]? {
        if let cached = cfpCache, cached.ref == ref { return cached.frame }
        guard let cfp = callForProposals(ref, replyBy: replyBy, now: now) else { return nil }
        do {
            let frame = try FrameEncoder.frame(.with { $0.cfp = cfp }, limit: config.maxFrameSize)
            cfpCache = (ref, frame)
            return frame
        } catch {
            stats.framesRefused += 1
            logger.error("CFP not sent", metadata: ["incident": "\(ref.incident)", "auction": "\(ref)", "error": "\(error)"])
            return nil
        }
    }

    private func conclude(_ incident: IncidentID, _ conclusion: Conclusion, at instant: Instant) {
        guard let entry = live.removeValue(forKey: incident) else { return }
        if cfpCache?.ref.incident == incident { cfpCache = nil }
        auctionDeadlines[incident] = nil
        var specialistName: String?
        var plan: RemediationPlan?
        switch conclusion {
        case .resolved(let by):
            stats.resolved += 1
            _ = stats.timeToResolve.record(UInt64(max(0, (instant - entry.incident.createdAt) * 1000)))
            if let session = session(by) {
                specialistName = session.name
                stats.fairness.record(session.fairnessSlot, work: 1)
            }
            // With an executor the plan ran before the engine resolved (`.execute`); its runner
            // may outlive the winner's session.
            if let executedBy = entry.executedBy { specialistName = executedBy }
            plan = entry.plan
        case .escalated(let why):
            stats.escalated += 1
            logger.warning("escalated to a human", metadata: ["incident": "\(incident)", "after": "\(why.name)"])
            planExecutor?.page(entry.incident, why: why.name)
            // Why, in the audit log next to the conclusion (the conclusion line only says escalated).
            recordStore?.submit([.audit(AuditRecord(at: Date().timeIntervalSince1970, actor: "coordinator", incident: incident.rawValue,
                                                    what: "escalation reason: \(why.reason.name)", why: why.detail))])
        case .cancelled:
            stats.cancelled += 1
            // A plan being executed is stopped and what ran undone, durably logged like any
            // rollback; its outcome reaches an engine that has concluded, and changes nothing.
            let request = entry.cancelRequest ?? (by: "coordinator", reason: "")
            for (execution, effect) in planExecutor?.cancel(incident, by: request.by, reason: request.reason) ?? [] {
                logger.notice("cancelled while its plan was being executed", metadata: ["incident": "\(incident)", "execution": "\(execution)", "effect": "\(effect.rawValue)"])
            }
        }
        store.conclude(incident, conclusion: conclusion.name, by: specialistName, plan: plan)
        let event = ConclusionEvent(
            incident: incident, conclusion: conclusion.name, specialist: specialistName,
            secondsToConclude: instant - entry.incident.createdAt, plan: plan
        )
        for observer in conclusionObservers { observer(event) }
    }
}
