/// Past performance in awards: the track record kept per specialist name and category, updated
/// as awards end, and the score that corrects a bid by it.
///
/// score = T + p × (rollbackShare × T + retryBackoff + replyWindow + T), with T = ETA × c, where c
/// is the calibration (1 inside `calibrationDeadBand`, so honest noise does not reorder equal
/// bids) and p the failure odds above the prior (every bidder is assumed to carry the prior's
/// risk; only evidence of worse costs, so a newcomer and a proven peer start level), 0 while
/// within `failureDeadBand` of it (one unlucky failure is noise, not evidence). It is the
/// expected completion if the promise is kept as well as before, plus the expected cost of a
/// failure: undoing it, announcing again, and doing it again.
extension Auctioneer {
    /// The track record as a value, for persisting it.
    public var trackRecord: TrackRecord {
        var record = TrackRecord()
        for (name, base) in reputationSlots {
            record.specialists[name] = Array(reputationEntries[base..<base + IncidentCategory.allCases.count])
        }
        return record
    }

    /// Load a saved track record (after a restart); entries replace those held for the same names.
    public mutating func importTrackRecord(_ record: TrackRecord) {
        for (name, entries) in record.specialists {
            let base = reputationBase(name)
            for (index, entry) in entries.prefix(IncidentCategory.allCases.count).enumerated() {
                reputationEntries[base + index] = entry
            }
        }
    }

    /// Where `name`'s entries start in `reputationEntries`, adding prior entries if it is new.
    mutating func reputationBase(_ name: String) -> Int {
        if let base = reputationSlots[name] { return base }
        let base = reputationEntries.count
        let prior = TrackRecord.Entry(failureRate: config.reputation.priorFailure)
        reputationEntries.append(contentsOf: repeatElement(prior, count: IncidentCategory.allCases.count))
        reputationSlots[name] = base
        reputationNames.append(name)
        return base
    }

    /// The entries changed since the last call (by an award's end), at most one per
    /// specialist×category, in the order they first changed. Empty unless
    /// `ReputationSettings.journalsChanges`.
    public mutating func takeTrackRecordChanges() -> [TrackRecordChange] {
        guard !reputationJournal.isEmpty else { return [] }
        let categories = IncidentCategory.allCases.count
        var seen = Set<Int>()
        var changes: [TrackRecordChange] = []
        for index in reputationJournal where seen.insert(index).inserted {
            changes.append(TrackRecordChange(specialist: reputationNames[index / categories],
                                             category: IncidentCategory.allCases[index % categories], entry: reputationEntries[index]))
        }
        reputationJournal.removeAll(keepingCapacity: true)
        return changes
    }

    /// `name`'s record over all categories (`TrackRecord.overall`), read in place: for the API's
    /// specialist list, polled by dashboards, which must not copy the whole record each time.
    public func trackRecordOverall(_ name: String) -> TrackRecord.Overall? {
        guard let base = reputationSlots[name] else { return nil }
        return TrackRecord.overall(reputationEntries[base..<base + IncidentCategory.allCases.count])
    }

    /// The record of the specialist named `name` for `category` (the prior if it has none).
    public func trackRecordEntry(_ name: String, _ category: IncidentCategory) -> TrackRecord.Entry? {
        reputationSlots[name].map { reputationEntries[$0 + category.rawValue] }
    }

    /// A joining specialist's id now points at its name's record.
    mutating func attachReputation(_ info: SpecialistInfo) {
        let base = reputationBase(info.name)
        if info.id.index >= reputationOf.count {
            reputationOf.append(contentsOf: repeatElement(-1, count: info.id.index - reputationOf.count + 1))
        }
        reputationOf[info.id.index] = base
    }

    @inline(__always)
    func reputationIndex(_ id: SpecialistID, _ category: IncidentCategory) -> Int? {
        guard id.index < reputationOf.count, reputationOf[id.index] >= 0 else { return nil }
        return reputationOf[id.index] + category.rawValue
    }

    /// A bid's score with reputation: (score, calibration applied, expected failure cost).
    func reputationScore(_ eta: Double, from id: SpecialistID, for category: IncidentCategory) -> (Double, Double, Double) {
        guard let index = reputationIndex(id, category) else { return (eta, 1, 0) }
        let entry = reputationEntries[index]
        let settings = config.reputation
        let correction = settings.calibrationDeadBand.contains(entry.calibration) ? 1 : entry.calibration
        let time = eta * correction
        let above = entry.failureRate - settings.priorFailure
        let excess = above > settings.failureDeadBand ? above : 0
        let failureCost = excess * (settings.rollbackShare * time + config.retryBackoff + config.replyWindow + time)
        return (time + failureCost, correction, failureCost)
    }

    /// The winner of the award at `slot` delivered.
    mutating func recordSuccess(_ slot: Int, _ now: Instant) {
        guard let index = reputationIndex(records[slot].winner, records[slot].ticket.category) else { return }
        let alpha = config.reputation.alpha
        var entry = reputationEntries[index]
        if records[slot].promisedETA > 0 {
            let ratio = (now - records[slot].awardedAt) / records[slot].promisedETA
            let range = config.reputation.calibrationRange
            entry.calibration += alpha * (min(max(ratio, range.lowerBound), range.upperBound) - entry.calibration)
        }
        entry.failureRate -= alpha * entry.failureRate
        entry.abandonRate -= alpha * entry.abandonRate
        entry.observations += 1
        reputationEntries[index] = entry
        if config.reputation.journalsChanges { reputationJournal.append(index) }
    }

    /// The winner of the award at `slot` failed it (`abandoned`: went silent or left).
    mutating func recordFailure(_ slot: Int, abandoned: Bool) {
        guard let index = reputationIndex(records[slot].winner, records[slot].ticket.category) else { return }
        let alpha = config.reputation.alpha
        var entry = reputationEntries[index]
        entry.failureRate += alpha * (1 - entry.failureRate)
        entry.abandonRate += alpha * ((abandoned ? 1 : 0) - entry.abandonRate)
        entry.observations += 1
        reputationEntries[index] = entry
        if config.reputation.journalsChanges { reputationJournal.append(index) }
    }
}
