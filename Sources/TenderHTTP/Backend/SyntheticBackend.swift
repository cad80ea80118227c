import TenderCore

/// A self-contained `APIBackend` for tests, `tender bench http` and dashboard screenshots: a
/// seeded pool of specialists and made-up auctions, executions and approvals.
///
/// It is a fixture, not a scheduler: `advance` invents plausible bids from the seed and awards
/// the lowest score so the dashboard has something to show. The live coordinator implements
/// `APIBackend` over the real engine and store.
public final class SyntheticBackend: APIBackend {
    /// How submissions are acknowledged.
    public enum Acknowledgement {
        /// At once, inside `submit` (what the benchmark measures: the HTTP path alone).
        case immediate
        /// Held until `releaseAcknowledgements()`: stands in for a store's group commit.
        case deferred
    }

    public struct Specialist {
        public var info: SpecialistInfo
        public var connected = true
        public var load = 0
        public var wins = PerCategory<Int>(repeating: 0)
        public var windowWins = PerCategory<Int>(repeating: 0)
        public var reputation = 0.9
    }

    public var acknowledgement: Acknowledgement
    /// Open incidents beyond which `submit` answers overloaded.
    public var admissionLimit = Int.max
    public var storeOpen = true
    public internal(set) var specialistsTable: [Specialist]
    public internal(set) var incidentsByID: [UInt64: IncidentTimeline] = [:]
    /// Incident ids in arrival order.
    private var order: [UInt64] = []
    private var auctions: [AuctionSummary] = []
    var executions: [ExecutionSummary] = []
    var approvalItems: [ApprovalItem] = []
    private var heldAcknowledgements: [() -> Void] = []
    private var random: SeededGenerator
    private var nextID: UInt64 = 1
    private var auctionSerial = 0
    /// Incidents resolved, failed or escalated (so admission need not scan every incident).
    var closedCount = 0
    /// The wall clock in Unix seconds; injected so tests are deterministic.
    public var now: () -> Double
    /// Every approval decision recorded, in order (what a test checks after a click).
    public private(set) var decisions: [(id: String, decision: ApprovalDecision, actor: String)] = []
    /// Every cancel that cancelled something, in order (see `SyntheticBackend+Cancel`).
    public internal(set) var cancellations: [(id: UInt64, actor: String, reason: String)] = []

    public init(specialists: Int = 6, seed: UInt64 = 1, acknowledgement: Acknowledgement = .immediate, now: @escaping () -> Double = { 1_764_460_800 }) {
        random = SeededGenerator(seed: seed)
        self.acknowledgement = acknowledgement
        self.now = now
        let kinds = SpecialistKind.allCases
        specialistsTable = (0..<specialists).map { index in
            let kind = kinds[index % kinds.count]
            let skills = PerCategory<Double> { $0 == kind.homeCategory ? 0.9 : 0.2 + 0.1 * Double((index + $0.rawValue) % 3) }
            let info = SpecialistInfo(id: SpecialistID(index), name: "\(kind.rawValue)-\(index / kinds.count + 1)", kind: kind, skills: skills, capacity: 2 + index % 3)
            return Specialist(info: info)
        }
    }

    // MARK: Writes

    public func submit(_ drafts: [IncidentSubmission], completion: @escaping (SubmitOutcome) -> Void) {
        let open = order.count - closedCount
        guard open + drafts.count <= admissionLimit else {
            completion(.overloaded(retryAfterSeconds: 2, reason: "\(open) incidents open; the admission limit is \(admissionLimit)"))
            return
        }
        guard storeOpen else {
            completion(.unavailable(reason: "store not open"))
            return
        }
        var accepted: [AcceptedIncident] = []
        accepted.reserveCapacity(drafts.count)
        for draft in drafts {
            let id = nextID
            nextID += 1
            let summary = IncidentSummary(id: id, category: draft.category, severity: draft.severity, state: .queued, service: draft.service, region: draft.region, createdAt: now(), reference: draft.reference)
            incidentsByID[id] = IncidentTimeline(incident: summary, events: [TimelineEvent(at: now(), kind: "received", detail: "via HTTP")])
            order.append(id)
            accepted.append(AcceptedIncident(id: id, reference: draft.reference))
        }
        switch acknowledgement {
        case .immediate: completion(.accepted(accepted))
        case .deferred: heldAcknowledgements.append { completion(.accepted(accepted)) }
        }
    }

    /// Acknowledge every held submission, oldest first (the store's commit returning).
    public func releaseAcknowledgements() {
        let held = heldAcknowledgements
        heldAcknowledgements.removeAll()
        for acknowledge in held { acknowledge() }
    }

    public var heldAcknowledgementCount: Int { heldAcknowledgements.count }

    public func decide(approval id: String, _ decision: ApprovalDecision, actor: String, completion: @escaping (DecisionOutcome) -> Void) {
        guard let index = approvalItems.firstIndex(where: { $0.id == id }) else {
            completion(.notFound)
            return
        }
        guard approvalItems[index].state == .pending else {
            completion(.alreadyDecided(approvalItems[index]))
            return
        }
        approvalItems[index].state = decision == .approve ? .approved : .denied
        approvalItems[index].decidedBy = actor
        decisions.append((id, decision, actor))
        completion(.recorded(approvalItems[index]))
    }

    // MARK: Reads

    public func incidents(matching query: IncidentQuery) -> IncidentPage {
        // Newest first; the cursor is the id to continue below.
        let below = query.cursor.flatMap(UInt64.init) ?? UInt64.max
        var page: [IncidentSummary] = []
        for id in order.reversed() where id < below {
            guard let incident = incidentsByID[id]?.incident else { continue }
            if let state = query.state, incident.state != state { continue }
            if let category = query.category, incident.category != category.name { continue }
            page.append(incident)
            if page.count == query.limit + 1 { break }
        }
        let more = page.count > query.limit
        if more { page.removeLast() }
        return IncidentPage(incidents: page, nextCursor: more ? page.last.map { String($0.id) } : nil)
    }

    public func timeline(of incident: UInt64) -> IncidentTimeline? { incidentsByID[incident] }

    public func specialists() -> [SpecialistStatus] {
        specialistsTable.map { s in
            SpecialistStatus(name: s.info.name, kind: s.info.kind.rawValue, connected: s.connected, load: s.load, capacity: s.info.capacity,
                             wins: IncidentCategory.allCases.reduce(0) { $0 + s.wins[$1] }, skills: s.info.skills, capability: s.info.capability, reputation: s.reputation)
        }
    }

    public func allocation() -> AllocationSnapshot {
        AllocationSnapshot(rows: specialistsTable.map {
            AllocationSnapshot.Row(name: $0.info.name, skills: $0.info.skills, capacity: $0.info.capacity, wins: $0.wins, windowWins: $0.windowWins)
        }, windowSeconds: 300)
    }

    public func approvals() -> [ApprovalItem] { approvalItems }

    public func readiness() -> Readiness {
        Readiness(specialistsConnected: specialistsTable.filter(\.connected).count, storeOpen: storeOpen)
    }

    public func recentAuctions(limit: Int) -> [AuctionSummary] { Array(auctions.suffix(limit).reversed()) }
    public func recentExecutions(limit: Int) -> [ExecutionSummary] { Array(executions.suffix(limit).reversed()) }

    public func setConnected(_ connected: Bool, specialist index: Int) { specialistsTable[index].connected = connected }

    // MARK: Made-up activity

    /// Invent `auctions` auctions over the queued incidents (submitting some if there are too
    /// few): seeded bids, the lowest score wins, a plan runs (some steps fail and roll back,
    /// some wait for approval). Deterministic for a seed.
    public func advance(auctions count: Int) {
        let categories = IncidentCategory.allCases
        for _ in 0..<count {
            finishRunningExecutions()
            let queued = incidentsByID.values.filter { $0.incident.state == .queued }.map(\.incident.id).sorted()
            let id: UInt64
            if let first = queued.first {
                id = first
            } else {
                var generatedID: UInt64 = 0
                let category = categories[nextIndex(categories.count)]
                submit([IncidentSubmission(category: category, severity: Severity.allCases[nextIndex(4)], service: ["api", "checkout", "search", "billing"][nextIndex(4)], region: "eu-west-1")]) { outcome in
                    if case .accepted(let ids) = outcome { generatedID = ids[0].id }
                }
                releaseAcknowledgements()
                id = generatedID
            }
            guard id != 0 else { return }
            auctionSerial += 1
            auction(id, sequence: auctionSerial)
        }
    }

    private func auction(_ id: UInt64, sequence: Int) {
        guard var timeline = incidentsByID[id] else { return }
        let category = IncidentCategory(name: timeline.incident.category) ?? .security
        let time = now()
        var bids: [BidSummary] = []
        for s in specialistsTable where s.connected {
            let skill = s.info.skills[category]
            if s.load >= s.info.capacity || skill < 0.25 {
                bids.append(BidSummary(specialist: s.info.name, outcome: .refused, refusal: s.load >= s.info.capacity ? "at capacity" : "lacks skill"))
                continue
            }
            let eta = (60 + 240 * unit()) / skill * Double(1 + s.load)
            let confidence = min(1, skill + 0.1 * unit())
            bids.append(BidSummary(specialist: s.info.name, outcome: .lost, etaSeconds: eta, confidence: confidence, score: eta / confidence))
        }
        let best = bids.indices.filter { bids[$0].score != nil }.min { bids[$0].score! < bids[$1].score! }
        var winner: String?
        var reason = "no bid: every specialist refused; escalated"
        if let best {
            bids[best].outcome = .won
            winner = bids[best].specialist
            let runnerUp = bids.filter { $0.outcome == .lost }.compactMap(\.score).min()
            reason = "lowest score \(format(bids[best].score!)) (eta ÷ confidence)" + (runnerUp.map { ", next \(format($0))" } ?? ", the only bid")
        }
        auctions.append(AuctionSummary(incidentId: id, round: 1, category: category, at: time, winner: winner, reason: reason, bids: bids))
        timeline.events.append(TimelineEvent(at: time, kind: "announced", detail: "call for proposals to \(bids.count) specialists"))
        guard let winner, let index = specialistsTable.firstIndex(where: { $0.info.name == winner }) else {
            timeline.incident.state = .escalated
            closedCount += 1
            timeline.events.append(TimelineEvent(at: time, kind: "escalated", detail: reason))
            incidentsByID[id] = timeline
            return
        }
        recordWin(index, category: category)
        timeline.incident.specialist = winner
        timeline.events.append(TimelineEvent(at: time, kind: "awarded", specialist: winner, detail: reason))
        let outcome = sequence % 7
        var steps = [ExecutionStep(name: "snapshot", state: .succeeded, undo: "none"), ExecutionStep(name: "\(category.name)-remediate", state: .succeeded, undo: "revert-\(category.name)")]
        var state = ExecutionSummary.State.succeeded
        switch outcome {
        case 3:
            steps[1].state = .rolledBack
            steps.append(ExecutionStep(name: "verify", state: .failed))
            state = .rolledBack
            timeline.incident.state = .failed
            closedCount += 1
            timeline.events.append(TimelineEvent(at: time, kind: "rolled_back", specialist: winner, detail: "verify failed; \(steps[1].name) undone"))
        case 5:
            steps[1].state = .pending
            state = .awaitingApproval
            timeline.incident.state = .awaitingApproval
            approvalItems.append(ApprovalItem(id: "APR-\(id)", incidentId: id, specialist: winner, step: steps[1].name, reason: "\(timeline.incident.severity) \(category.name) step touches production", requestedAt: time))
            timeline.events.append(TimelineEvent(at: time, kind: "approval_requested", specialist: winner, detail: steps[1].name))
        case 1:
            steps[1].state = .running
            state = .running
            timeline.incident.state = .executing
            specialistsTable[index].load += 1
        default:
            timeline.incident.state = .resolved
            closedCount += 1
            timeline.events.append(TimelineEvent(at: time, kind: "resolved", specialist: winner, detail: "all steps succeeded"))
        }
        executions.append(ExecutionSummary(incidentId: id, specialist: winner, state: state, startedAt: time, steps: steps))
        incidentsByID[id] = timeline
    }

    private func format(_ value: Double) -> String { String(Double(Int(value * 10)) / 10) }

    /// Executions running for more than three auctions finish, freeing their specialist's slot.
    private func finishRunningExecutions() {
        for index in executions.indices where executions[index].state == .running && executions.count - index > 3 {
            executions[index].state = .succeeded
            for step in executions[index].steps.indices where executions[index].steps[step].state == .running {
                executions[index].steps[step].state = .succeeded
            }
            let id = executions[index].incidentId
            if let specialist = specialistsTable.firstIndex(where: { $0.info.name == executions[index].specialist }) {
                specialistsTable[specialist].load -= 1
            }
            incidentsByID[id]?.incident.state = .resolved
            closedCount += 1
            incidentsByID[id]?.events.append(TimelineEvent(at: now(), kind: "resolved", specialist: executions[index].specialist, detail: "all steps succeeded"))
        }
    }

    private func nextIndex(_ bound: Int) -> Int { random.nextIndex(below: bound) }
    private func unit() -> Double { random.nextUnit() }

    private func recordWin(_ index: Int, category: IncidentCategory) {
        specialistsTable[index].wins[category] += 1
        specialistsTable[index].windowWins[category] += 1
    }
}
