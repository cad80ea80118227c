import TenderCore

/// Drives the engine as a test would: a manual clock, every action kept, armed timers fired when
/// the clock passes them. No sleeps, no threads.
struct EngineHarness {
    var engine: Auctioneer
    let clock = ManualClock()
    private(set) var log: [EngineAction] = []
    private var timers: [(at: Instant, timer: EngineTimer)] = []

    init(config: EngineConfig = EngineConfig(), mode: AllocationMode = .contractNet(LowestCompletionTime()), specialists: [SpecialistInfo]) {
        engine = Auctioneer(config: config, mode: mode)
        for info in specialists { _ = send(.specialistJoined(info)) }
    }

    /// Handle one event now; returns just its actions.
    @discardableResult
    mutating func send(_ event: EngineEvent) -> [EngineAction] {
        let actions = engine.handle(event, at: clock.now)
        record(actions)
        return actions
    }

    /// Move the clock forward, firing due timers in time order; returns every action produced.
    @discardableResult
    mutating func advance(by seconds: Double) -> [EngineAction] {
        let target = clock.now + seconds
        var produced: [EngineAction] = []
        while let next = timers.enumerated().filter({ $0.element.at <= target }).min(by: { $0.element.at < $1.element.at }) {
            timers.remove(at: next.offset)
            clock.set(max(clock.now, next.element.at))
            let actions = engine.handle(.timerFired(next.element.timer), at: clock.now)
            record(actions)
            produced += actions
        }
        clock.set(target)
        return produced
    }

    private mutating func record(_ actions: [EngineAction]) {
        log += actions
        for case .armTimer(let timer, let at) in actions { timers.append((at, timer)) }
    }

    var armedTimers: [EngineTimer] { timers.map(\.timer) }
}

/// Builders that keep tests short.
func specialist(_ id: Int, _ kind: SpecialistKind = .security, skill: Double = 0.9, capacity: Int = 2, others: Double = 0) -> SpecialistInfo {
    var skills = PerCategory(repeating: others)
    skills[kind.homeCategory] = skill
    return SpecialistInfo(id: SpecialistID(id), name: "\(kind.rawValue)-\(id)", kind: kind, skills: skills, capacity: capacity)
}

func ticket(_ id: UInt64, _ category: IncidentCategory = .security, _ severity: Severity = .high, at time: Double = 0) -> IncidentTicket {
    IncidentTicket(id: IncidentID(id), category: category, severity: severity, createdAt: Instant(seconds: time))
}

func ref(_ id: UInt64, round: UInt32 = 1) -> AuctionRef { AuctionRef(incident: IncidentID(id), round: round) }

/// Pick actions of one kind out of a list.
extension [EngineAction] {
    var cfpRecipients: [SpecialistID] { compactMap { if case .sendCFP(_, let to, _) = $0 { to } else { nil } } }
    var cfpRefs: [AuctionRef] { compactMap { if case .sendCFP(let ref, _, _) = $0 { ref } else { nil } } }
    var accepted: [SpecialistID] { compactMap { if case .sendAccept(_, let to, _) = $0 { to } else { nil } } }
    var rejections: [(SpecialistID, RejectReason)] { compactMap { if case .sendReject(_, let to, let why) = $0 { (to, why) } else { nil } } }
    var cancels: [SpecialistID] { compactMap { if case .sendCancel(_, let to) = $0 { to } else { nil } } }
    var awards: [Award] { compactMap { if case .awarded(let award) = $0 { award } else { nil } } }
    var conclusions: [(IncidentID, Conclusion)] { compactMap { if case .concluded(let id, let how) = $0 { (id, how) } else { nil } } }
    var backlogged: [IncidentID] { compactMap { if case .backlogged(let id) = $0 { id } else { nil } } }
    var retries: [(IncidentID, Int, Setback)] { compactMap { if case .retrying(let id, let n, let why) = $0 { (id, n, why) } else { nil } } }
    var ignored: [IgnoredReason] { compactMap { if case .ignored(_, _, let why) = $0 { why } else { nil } } }
    var announcedIncidents: [IncidentID] { compactMap { if case .announced(let ref, _) = $0 { ref.incident } else { nil } } }
}
