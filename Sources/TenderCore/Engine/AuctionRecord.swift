/// One incident's auction: its state machine and the current round's invitations and answers.
/// Records live in a slab inside the `Auctioneer` and are reused, arrays and all, so that a
/// steady stream of auctions allocates nothing.
struct AuctionRecord: Sendable {
    enum Phase: UInt8, Sendable {
        /// CFPs are out; collecting proposals until every invitee answered or the deadline passed.
        case announcing
        /// Accepted; waiting for the winner's outcome.
        case awarded
        /// Backing off before the next attempt.
        case awaitingRetry
        /// Waiting in the backlog for capacity, or for a capable specialist to join.
        case backlogged
        /// The winner's plan is being applied (`EngineConfig.executesPlans`).
        case executing
    }

    enum Answer: Sendable {
        case pending
        case proposed(Bid)
        case refused(RefusalReason)
    }

    var ticket: IncidentTicket
    var phase: Phase = .announcing
    /// Rounds announced so far; 0 until the first announcement.
    var round: UInt32 = 0
    /// Real failures so far; reaching `maxAttempts` escalates.
    var setbacks = 0
    var lastSetback: Setback?
    var invited: [SpecialistID] = []
    var answers: [Answer] = []
    var pending = 0
    var winner = SpecialistID(UInt32.max)
    /// Looks taken at this incident while it waited after refusals or declines since its last
    /// award: the exponent of the re-check backoff.
    var rechecks = 0
    /// Since when no capable specialist has been present or willing (seconds; negative: there is
    /// one). Drives the `no_capable_specialist` escalation.
    var unavailableSince = -1.0
    /// The sequence number of this incident's live backlog entry; older entries are stale.
    var backlogEntry: UInt64 = 0
    /// Specialists whose plan for this incident failed in execution: not invited again while
    /// another capable specialist is present.
    var excluded: [SpecialistID] = []
    /// What a specialist said when it found the incident not actionable.
    var notActionableDetail = ""
    /// Whether the SLA risk timer is armed (once per incident, when it first waits).
    var slaTimerArmed = false
    /// When the current award was made and the ETA it promised (for the track record).
    var awardedAt = Instant.zero
    var promisedETA = 0.0

    init(ticket: IncidentTicket) { self.ticket = ticket }

    var ref: AuctionRef { AuctionRef(incident: ticket.id, round: round) }

    /// Reuse this record for a new incident, keeping the arrays' storage.
    mutating func reset(for ticket: IncidentTicket) {
        self.ticket = ticket
        phase = .announcing
        round = 0
        setbacks = 0
        lastSetback = nil
        rechecks = 0
        unavailableSince = -1
        if !excluded.isEmpty { excluded.removeAll(keepingCapacity: true) }
        if !notActionableDetail.isEmpty { notActionableDetail = "" }
        slaTimerArmed = false
        // Direct allocation never fills these: skip the (not free) clearing of empty arrays.
        if !invited.isEmpty { invited.removeAll(keepingCapacity: true) }
        if !answers.isEmpty { answers.removeAll(keepingCapacity: true) }
        pending = 0
    }

    /// Start a contract-net round inviting `invitees`, all answers pending. One mutating call, so
    /// the record slab is checked for uniqueness once rather than once per field.
    @inline(__always)
    mutating func openRound(inviting invitees: [SpecialistID]) {
        phase = .announcing
        invited.overwrite(with: invitees)
        answers.overwrite(with: repeatElement(.pending, count: invitees.count))
        pending = invitees.count
    }

    @inline(__always)
    mutating func markAwarded(to specialist: SpecialistID) {
        phase = .awarded
        winner = specialist
        rechecks = 0
        unavailableSince = -1
    }

    /// Record an answer from the invitee at `index`; true when it was the last one pending.
    @inline(__always)
    mutating func answer(_ index: Int, _ answer: Answer) -> Bool {
        answers[index] = answer
        pending -= 1
        return pending == 0
    }

    @inline(__always)
    func invitation(of specialist: SpecialistID) -> Int? {
        // Answers usually come back in the order the calls went out: try that position first.
        let hint = invited.count - pending
        if hint >= 0, hint < invited.count, invited[hint] == specialist { return hint }
        return invited.firstIndex(of: specialist)
    }
}

extension Array {
    /// Replace the contents with `elements`, keeping the storage. When the count is unchanged
    /// (the common case for a round's invitees) the elements are written in place through one
    /// buffer access; element-by-element appends would each check the buffer's uniqueness.
    @inline(__always)
    mutating func overwrite<C: Collection>(with elements: C) where C.Element == Element {
        guard count == elements.count else {
            replaceSubrange(0..<count, with: elements)
            return
        }
        withUnsafeMutableBufferPointer { buffer in
            var index = 0
            for element in elements {
                buffer[index] = element
                index += 1
            }
        }
    }
}
