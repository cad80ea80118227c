/// The contract-net engine: every open auction, the backlog and the pool's load, driven purely by
/// events. It performs no I/O, reads no clock and starts no thread; each call takes one event and
/// the instant it happened, and appends the actions the driver must carry out.
///
/// The live coordinator drives it from a libuv loop, the simulator from a virtual clock and the
/// tests from a manual clock, so there is exactly one implementation of auction logic.
///
/// Protocol (FIPA SC00029H, iterated): cfp with a reply-by deadline → propose / refuse →
/// evaluation, closed early once every invitee answered → accept-proposal to the winner and
/// reject-proposal to the other bidders → inform-done / inform-result / failure. A round without an
/// acceptable bid, or with a winner that fails or stays silent past its commitment, is
/// re-announced after a backoff. Escalation is a policy (`EscalationReason`): no capable specialist
/// for `noCapableTimeout`, the SLA at risk, `maxAttempts` real failures, or an incident that
/// cannot be acted on. Incidents refused for capacity, or waiting for a specialist to connect,
/// wait in the backlog and are announced again when a slot frees, a specialist joins or a
/// re-check timer fires.
public struct Auctioneer {
    public let config: EngineConfig
    public let mode: AllocationMode
    public internal(set) var specialists: SpecialistTable

    var records: [AuctionRecord] = []
    var freeRecords: [Int] = []
    var recordOf = IncidentIndex()
    var backlog: Backlog
    var random: SeededGenerator
    /// Scratch space for candidate lists, reused so announcing allocates nothing.
    var candidates: [SpecialistID] = []
    /// Scratch space for the invitees of a closing round.
    var closing: [SpecialistID] = []
    /// `mode` taken apart once, so the hot path neither switches on it nor copies its
    /// existential: the award rule (contract net), whether that rule is plain ETA (scored without
    /// a dynamic call), and the direct allocator.
    let awardRule: (any AwardRule)?
    let scoresByETA: Bool
    let directAllocator: (any DirectAllocator)?
    /// The track record (see `Auctioneer+Reputation`): entries flat, one per category, from
    /// `reputationSlots[name]`; `reputationOf[id.index]` is where a present id's start (-1: none).
    var reputationEntries: [TrackRecord.Entry] = []
    var reputationSlots: [String: Int] = [:]
    var reputationOf: [Int] = []
    /// The name whose entries start at `base`, at `base / IncidentCategory.allCases.count`.
    var reputationNames: [String] = []
    /// Indices into `reputationEntries` changed since the driver last took them
    /// (`ReputationSettings.journalsChanges`), for persisting the record as it changes.
    var reputationJournal: [Int] = []
    /// Whether awards are scored with the track record.
    let usesReputation: Bool

    public init(config: EngineConfig = EngineConfig(), mode: AllocationMode = .contractNet(LowestCompletionTime())) {
        self.config = config
        self.mode = mode
        specialists = SpecialistTable(minimumSkill: config.minimumSkill)
        backlog = Backlog(order: config.backlogOrder)
        random = SeededGenerator(seed: config.seed)
        usesReputation = config.reputation.enabled
        switch mode {
        case .contractNet(let rule):
            awardRule = rule
            scoresByETA = rule is LowestCompletionTime
            directAllocator = nil
        case .direct(let allocator):
            awardRule = nil
            scoresByETA = false
            directAllocator = allocator
        }
    }

    /// Incidents whose auction has not concluded.
    public var openAuctions: Int { recordOf.count }
    /// Whether the engine holds `incident` (announced and not concluded).
    public func isOpen(_ incident: IncidentID) -> Bool { recordOf[incident] != nil }
    /// Incidents waiting for capacity (cancelled ones may linger until they surface).
    public var backlogLength: Int { backlog.storedCount }

    /// Handle one event, appending the resulting actions to `actions`.
    /// The driver owns the buffer and clears it between calls, so the hot path allocates nothing.
    public mutating func handle(_ event: EngineEvent, at now: Instant, into actions: inout [EngineAction]) {
        switch event {
        case .incidentArrived(let ticket):
            arrive(ticket, now, &actions)
        case .proposal(let ref, let from, let bid):
            propose(ref, from, bid, now, &actions)
        case .refusal(let ref, let from, let reason):
            refuse(ref, from, reason, now, &actions)
        case .outcome(let ref, let from, let kind):
            report(ref, from, kind, now, &actions)
        case .notActionable(let ref, let from, let detail):
            notActionable(ref, from, detail, now, &actions)
        case .executionFinished(let ref, let outcome):
            executionFinished(ref, outcome, now, &actions)
        case .executionEscalated(let ref, let outcome, let reason):
            executionEscalated(ref, outcome, reason, &actions)
        case .timerFired(let timer):
            fire(timer, now, &actions)
        case .cancel(let incident):
            cancel(incident, now, &actions)
        case .specialistJoined(let info):
            specialists.join(info)
            attachReputation(info)
            for _ in 0..<info.capacity { drainBacklog(into: info.id, now, &actions) }
            stopWaitingClocks(for: info)
        case .specialistLeft(let id):
            leave(id, now, &actions)
        }
    }

    /// Convenience for tests and one-off callers: handle one event and return its actions.
    public mutating func handle(_ event: EngineEvent, at now: Instant) -> [EngineAction] {
        var actions: [EngineAction] = []
        handle(event, at: now, into: &actions)
        return actions
    }

    // MARK: Arrival and announcement

    private mutating func arrive(_ ticket: IncidentTicket, _ now: Instant, _ actions: inout [EngineAction]) {
        // One probe of the index both rejects a duplicate and files the new incident.
        let slot = freeRecords.last ?? records.count
        guard recordOf.insertIfAbsent(ticket.id, slot: slot) else {
            actions.append(.duplicateIncident(ticket.id))
            return
        }
        if slot < records.count {
            freeRecords.removeLast()
            records[slot].reset(for: ticket)
        } else {
            records.append(AuctionRecord(ticket: ticket))
        }
        announce(slot, now, &actions)
    }

    /// Open the next round for the record at `slot`: invite every capable specialist with a free
    /// slot (or a sample of them), or assign directly, or wait in the backlog when all are busy.
    mutating func announce(_ slot: Int, _ now: Instant, _ actions: inout [EngineAction]) {
        let category = records[slot].ticket.category
        guard !specialists.eligible[category].isEmpty else {
            // Nobody capable is connected (yet): wait for one to join, up to `noCapableTimeout`.
            waitForCapable(slot, now, &actions)
            return
        }
        guard specialists.anyFree(for: category) else {
            records[slot].unavailableSince = -1
            enterBacklog(slot, now, &actions)
            return
        }
        specialists.collectFree(for: category, into: &candidates)
        if !records[slot].excluded.isEmpty {
            applyExclusions(slot, category)
            guard !candidates.isEmpty else {
                // Only excluded specialists are free: wait for one of the others.
                enterBacklog(slot, now, &actions)
                return
            }
        }

        records[slot].round += 1
        if let allocator = directAllocator {
            actions.append(.announced(records[slot].ref, invited: 0))
            guard let chosen = allocator.choose(for: records[slot].ticket, among: candidates, in: specialists),
                  specialists.hasFreeSlot(chosen)
            else {
                enterBacklog(slot, now, &actions)
                return
            }
            award(slot, to: chosen, bid: nil, score: 0, secondPrice: 0, proposals: 0, now, &actions)
            return
        }

        // Contract net.
        if let sample = config.cfpSampleSize, sample < candidates.count {
            sampleCandidates(keeping: sample)
        }
        let replyBy = now + config.replyWindow
        let ref = records[slot].ref
        records[slot].openRound(inviting: candidates)
        actions.append(.announced(ref, invited: candidates.count))
        specialists.addInvitations(candidates, +1)
        for id in candidates { actions.append(.sendCFP(ref, to: id, replyBy: replyBy)) }
        actions.append(.armTimer(EngineTimer(.replyDeadline, ref), at: replyBy))
    }

    /// Keep a uniform random sample of `count` candidates (partial Fisher–Yates), in id order so
    /// ties still break the same way.
    private mutating func sampleCandidates(keeping count: Int) {
        for i in 0..<count {
            let j = i + random.nextIndex(below: candidates.count - i)
            candidates.swapAt(i, j)
        }
        candidates.removeSubrange(count...)
        candidates.sort()
    }

    /// Drop the specialists excluded for the incident at `slot` from `candidates`, unless every
    /// capable specialist present is excluded: then the exclusion is lifted (attempts still bound
    /// the retries), since waiting for a specialist that may never come helps nobody.
    private mutating func applyExclusions(_ slot: Int, _ category: IncidentCategory) {
        let excluded = records[slot].excluded
        guard specialists.eligible[category].contains(where: { !excluded.contains($0) }) else { return }
        candidates.removeAll { excluded.contains($0) }
    }

    /// Wait in the backlog for capacity. With `recheck` (the round was refused for capacity,
    /// perhaps by a specialist busy with outside work, whose slot no Tender outcome will free),
    /// also look again after a growing delay; looks are not attempts.
    mutating func enterBacklog(_ slot: Int, _ now: Instant, _ actions: inout [EngineAction], recheck: Bool = false) {
        guard !escalateIfSLAAtRisk(slot, now, &actions) else { return }
        records[slot].phase = .backlogged
        records[slot].backlogEntry = backlog.push(records[slot].ticket)
        actions.append(.backlogged(records[slot].ticket.id))
        if recheck {
            records[slot].rechecks += 1
            let at = now + config.recheckDelay(look: records[slot].rechecks)
            actions.append(.armTimer(EngineTimer(.recheck, records[slot].ref), at: at))
        }
    }

    /// `specialist` may have an idle slot: announce the most urgent backlogged incident it can take.
    mutating func drainBacklog(into specialist: SpecialistID, _ now: Instant, _ actions: inout [EngineAction]) {
        // An idle slot implies presence (absent specialists have capacity -1).
        guard backlog.storedCount > 0, specialists.hasIdleSlot(specialist) else { return }
        let takes = specialists.takes[specialist.index]
        while let (category, entry) = backlog.head(inMask: takes) {
            backlog.popHead(of: category)
            // Cancelled incidents are removed lazily: skip them as they surface.
            // So are entries left behind when a re-check announced the incident.
            guard let slot = recordOf[entry.incident], records[slot].phase == .backlogged,
                  records[slot].backlogEntry == entry.sequence else { continue }
            announce(slot, now, &actions)
            return
        }
    }
}
