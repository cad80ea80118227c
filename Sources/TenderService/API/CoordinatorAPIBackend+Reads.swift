import Foundation
import TenderCore
import TenderHTTP
import TenderStore

// The list and pool reads: incidents from the store (the system of record), specialists and
// allocation from the engine's table and the award tally, auctions and executions from the
// store's records of them.
extension CoordinatorAPIBackend {
    public func incidents(matching query: IncidentQuery) -> IncidentPage {
        // Newest first; the cursor is the id to continue below. Category lives in the incident's
        // JSON body, so rows are filtered here, reading in chunks until the page is full.
        var below = query.cursor.flatMap(UInt64.init) ?? UInt64(Int64.max)
        let stored: String? = switch query.state {
        case nil: nil
        case .resolved?: "resolved"
        case .escalated?, .failed?: "escalated"
        case .cancelled?: "cancelled"
        default: "open"
        }
        var page: [TenderHTTP.IncidentSummary] = []
        let chunk = max(64, query.limit * 2)
        scan: while page.count <= query.limit {
            var sql = "SELECT i.id, i.status, i.body, i.resolved_by, i.concluded_at, r.ref, (SELECT MIN(a.at) FROM audit a WHERE a.incident = i.id) FROM incidents i LEFT JOIN incident_refs r ON r.incident = i.id WHERE i.id < ?"
            var values: [SQLValue] = [.integer(Int64(clamping: below))]
            if let stored {
                sql += " AND i.status = ?"
                values.append(.text(stored))
            }
            sql += " ORDER BY i.id DESC LIMIT \(chunk)"
            guard let rows = read({ reader throws(StoreFailure) in try reader.database.rows(sql, values) }), !rows.isEmpty else { break }
            for row in rows {
                below = UInt64(row.integer(0) ?? 0)
                guard let summary = summary(id: below, status: row.text(1) ?? "open", body: row.text(2) ?? "", resolvedBy: row.text(3), reference: row.text(5), receivedAt: row.real(6)) else { continue }
                if let category = query.category, summary.category != category.name { continue }
                if let state = query.state, summary.state != state { continue }
                page.append(summary)
                if page.count > query.limit { break scan }
            }
            if rows.count < chunk { break }
        }
        let more = page.count > query.limit
        if more { page.removeLast() }
        return IncidentPage(incidents: page, nextCursor: more ? page.last.map { String($0.id) } : nil)
    }

    func summary(of stored: TenderStore.IncidentSummary) -> TenderHTTP.IncidentSummary? {
        summary(id: stored.id, status: stored.state, body: stored.body, resolvedBy: stored.resolvedBy, reference: stored.reference, receivedAt: stored.receivedAt)
    }

    /// One incident as the API lists it: its stored body, with an open one's state from the
    /// coordinator's live view, dated when intake accepted it (wall clock).
    func summary(id: UInt64, status: String, body: String, resolvedBy: String?, reference: String?, receivedAt: Double?) -> TenderHTTP.IncidentSummary? {
        guard let incident = try? JSONDecoder().decode(Incident.self, from: Data(body.utf8)) else { return nil }
        let state: IncidentState
        switch status {
        case "resolved": state = .resolved
        case "escalated": state = .escalated
        case "cancelled": state = .cancelled
        default:
            if let live = coordinator.live[IncidentID(id)] {
                state = live.executedBy != nil ? .executing : (live.announcedAt > 0 ? .auctioning : .queued)
            } else {
                state = .queued
            }
        }
        let specialist = resolvedBy ?? coordinator.live[IncidentID(id)]?.executedBy
        return TenderHTTP.IncidentSummary(id: id, category: incident.category, severity: incident.severity, state: state,
                                          service: incident.service, region: incident.region,
                                          createdAt: receivedAt ?? wallAtEpoch + incident.createdAt.seconds, specialist: specialist, reference: reference)
    }

    public func specialists() -> [SpecialistStatus] {
        let table = coordinator.engine.specialists
        var connected: [String: (info: SpecialistInfo, load: Int)] = [:]
        for session in coordinator.sessions {
            guard let session, let id = session.id, let info = table.info(id) else { continue }
            connected[info.name] = (info, table.load(id))
            known[info.name] = info
        }
        return known.keys.sorted().map { name in
            let info = connected[name]?.info ?? known[name]!
            var status = SpecialistStatus(name: name, kind: info.kind.rawValue, connected: connected[name] != nil, load: connected[name]?.load ?? 0,
                                          capacity: info.capacity, wins: tally.total(name), skills: info.skills, capability: info.capability)
            // Null until one of its awards has ended (restored records count from the start).
            let overall = coordinator.engine.trackRecordOverall(name)
            status.setTrackRecord(calibration: overall?.calibration, successRate: overall?.successRate, awardsConcluded: overall?.observations)
            return status
        }
    }

    public func allocation() -> AllocationSnapshot {
        _ = specialists()
        let now = wallClock()
        return AllocationSnapshot(rows: known.keys.sorted().map { name in
            let info = known[name]!
            return AllocationSnapshot.Row(name: name, skills: info.skills, capacity: info.capacity,
                                          wins: tally.wins[name] ?? PerCategory(repeating: 0), windowWins: tally.windowWins(name, now: now))
        }, windowSeconds: tally.windowSeconds)
    }

    public func recentAuctions(limit: Int) -> [AuctionSummary] {
        recentTimelines(limit: limit, where: "EXISTS (SELECT 1 FROM auctions a WHERE a.incident = incidents.id)").flatMap { timeline -> [AuctionSummary] in
            guard let category = summary(of: timeline.incident).flatMap({ IncidentCategory(name: $0.category) }) else { return [] }
            return StoredTimelineMapping.auctions(timeline, category: category)
        }.prefix(limit).map { $0 }
    }

    public func recentExecutions(limit: Int) -> [ExecutionSummary] {
        recentTimelines(limit: limit, where: "EXISTS (SELECT 1 FROM executions e WHERE e.incident = incidents.id)")
            .flatMap(StoredTimelineMapping.executions).prefix(limit).map { $0 }
    }

    /// The newest incidents matching `condition`, with their whole stored timelines, newest first.
    private func recentTimelines(limit: Int, where condition: String) -> [TenderStore.IncidentTimeline] {
        let count = Int64(max(0, min(limit, 100)))
        return read { reader throws(StoreFailure) in
            var timelines: [TenderStore.IncidentTimeline] = []
            for row in try reader.database.rows("SELECT id FROM incidents WHERE \(condition) ORDER BY id DESC LIMIT ?", [.integer(count)]) {
                if let id = row.integer(0), let timeline = try reader.timeline(incident: UInt64(id)) { timelines.append(timeline) }
            }
            return timelines
        } ?? []
    }
}
