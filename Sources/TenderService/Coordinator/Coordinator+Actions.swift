import Foundation
import TenderCore
import TenderUV
import TenderWire

/// Carrying out the engine's actions: frames to specialists, timers, records, statistics.
extension Coordinator {
    func carry(_ action: EngineAction, at instant: Instant) {
        switch action {
        case .sendCFP(let ref, let to, let replyBy):
            guard let session = session(to) else { return }
            session.connection.send(frame: cfpFrame(ref, replyBy: replyBy, now: instant))
        case .sendAccept(let ref, let to, let commitBy):
            var accept = WireAcceptProposal()
            accept.ref = WireMapping.ref(ref)
            accept.commitWithinMs = UInt32(clamping: Int(((commitBy - instant) * 1000).rounded(.down)))
            session(to)?.connection.send(.with { $0.accept = accept })
        case .sendReject(let ref, let to, let reason):
            var reject = WireRejectProposal()
            reject.ref = WireMapping.ref(ref)
            reject.reason = reason.name
            session(to)?.connection.send(.with { $0.reject = reject })
        case .sendCancel(let ref, let to):
            var cancel = WireCancel()
            cancel.ref = WireMapping.ref(ref)
            session(to)?.connection.send(.with { $0.cancel = cancel })
        case .armTimer(let timer, let at):
            timers.schedule(timer, at: at)
        case .announced(let ref, _):
            stats.auctions += 1
            live[ref.incident]?.announcedAt = EventLoop.monotonicNanoseconds()
        case .awarded(let award):
            stats.awards += 1
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
        case .execute:
            // Only emitted with `EngineConfig.executesPlans`, which the live coordinator does not
            // set yet: its plans still resolve on arrival.
            break
        case .concluded(let incident, let conclusion):
            conclude(incident, conclusion, at: instant)
        case .ignored(let ref, let from, let reason):
            logger.debug("ignored message", metadata: ["auction": "\(ref)", "from": "\(from)", "reason": "\(reason)"])
        case .duplicateIncident(let incident):
            logger.error("duplicate incident id", metadata: ["incident": "\(incident)"])
        }
    }

    /// The CFP for a round, encoded once and reused for every invitee of that round.
    private func cfpFrame(_ ref: AuctionRef, replyBy: Instant, now: Instant) -> [UInt8] {
        if let cached = cfpCache, cached.ref == ref { return cached.frame }
        var cfp = WireCallForProposals()
        cfp.ref = WireMapping.ref(ref)
        cfp.replyWithinMs = UInt32(clamping: Int(((replyBy - now) * 1000).rounded(.down)))
        if let incident = live[ref.incident]?.incident {
            cfp.category = incident.category.name
            cfp.severity = incident.severity.name
            cfp.ageS = now - incident.createdAt
            cfp.slaSlackS = incident.slaDeadline - now
            cfp.service = incident.service
            cfp.region = incident.region
            cfp.entities = incident.entities.map(WireMapping.entity)
        }
        let frame = (try? FrameEncoder.frame(.with { $0.cfp = cfp })) ?? []
        cfpCache = (ref, frame)
        return frame
    }

    private func conclude(_ incident: IncidentID, _ conclusion: Conclusion, at instant: Instant) {
        guard let entry = live.removeValue(forKey: incident) else { return }
        if cfpCache?.ref.incident == incident { cfpCache = nil }
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
            plan = entry.plan
            if let plan {
                executor.execute(plan, for: entry.incident) { [logger] report in
                    if !report.succeeded {
                        logger.warning("plan execution failed", metadata: ["incident": "\(incident)", "detail": "\(report.detail)"])
                    }
                }
            }
        case .escalated(let why):
            stats.escalated += 1
            logger.warning("escalated to a human", metadata: ["incident": "\(incident)", "after": "\(why.name)"])
        case .cancelled:
            stats.cancelled += 1
        }
        store.conclude(incident, conclusion: conclusion.name, by: specialistName, plan: plan)
        let event = ConclusionEvent(
            incident: incident, conclusion: conclusion.name, specialist: specialistName,
            secondsToConclude: instant - entry.incident.createdAt, plan: plan
        )
        for observer in conclusionObservers { observer(event) }
    }
}
