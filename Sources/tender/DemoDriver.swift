import TenderConfig
import TenderCore

/// Drives the engine for `tender demo` with zero-latency messages and a manual clock: just enough
/// machinery to show one burst of auctions. The simulator (`tender simulate`) is the full driver.
struct DemoDriver {
    /// What happened to one incident, gathered for the transcript.
    struct Story {
        var incident: Incident
        var answers: [(specialist: SpecialistID, decision: BidDecision)] = []
        var award: Award?
        var lines: [String] = []
    }

    var engine: Auctioneer
    let profiles: [SpecialistProfile]
    /// The shared specialist model (as in the simulator and the live agent), one per profile.
    let models: [SpecialistWorkModel]
    let policy: any BiddingPolicy
    var random: SeededGenerator
    var clock = ManualClock()
    var stories: [IncidentID: Story] = [:]
    var fairness: FairnessTracker
    private var queue: [(at: Instant, sequence: Int, event: EngineEvent)] = []
    private var sequence = 0
    private var actions: [EngineAction] = []

    init(profiles: [SpecialistProfile], policy: any BiddingPolicy, seed: UInt64) {
        var config = EngineConfig()
        config.seed = seed
        engine = Auctioneer(config: config)
        self.profiles = profiles
        models = profiles.map {
            SpecialistWorkModel(kind: $0.kind, skills: $0.skills, capacity: $0.capacity, service: $0.service, failure: $0.failure)
        }
        self.policy = policy
        random = SeededGenerator(seed: seed)
        fairness = FairnessTracker(capabilities: profiles.enumerated().map { $1.info(id: SpecialistID($0)).capability })
        for (index, profile) in profiles.enumerated() {
            schedule(.specialistJoined(profile.info(id: SpecialistID(index))), at: .zero)
        }
    }

    mutating func submit(_ incident: Incident) {
        stories[incident.id] = Story(incident: incident)
        schedule(.incidentArrived(incident.ticket), at: incident.createdAt)
    }

    mutating func runToCompletion() {
        while !queue.isEmpty {
            let next = queue.removeFirst()
            clock.set(max(clock.now, next.at))
            actions.removeAll(keepingCapacity: true)
            engine.handle(next.event, at: clock.now, into: &actions)
            for action in actions { carry(action) }
        }
    }

    private mutating func schedule(_ event: EngineEvent, at instant: Instant) {
        sequence += 1
        let index = queue.firstIndex { ($0.at, $0.sequence) > (instant, sequence) } ?? queue.endIndex
        queue.insert((instant, sequence, event), at: index)
    }

    private mutating func carry(_ action: EngineAction) {
        let now = clock.now
        switch action {
        case .sendCFP(let ref, let to, _):
            let decision = answer(ref, specialist: to)
            stories[ref.incident]?.answers.append((to, decision))
            switch decision {
            case .bid(let bid): schedule(.proposal(ref, from: to, bid), at: now + 0.01)
            case .refuse(let reason): schedule(.refusal(ref, from: to, reason), at: now + 0.01)
            }
        case .sendAccept(let ref, let to, _):
            guard let incident = stories[ref.incident]?.incident else { return }
            let work = models[to.index].draw(incident.category, incident.severity, random: &random)
            fairness.record(to.index, work: work.service)
            schedule(.outcome(ref, from: to, work.outcome), at: now + work.duration)
        case .armTimer(let timer, let at):
            schedule(.timerFired(timer), at: at)
        case .awarded(let award):
            guard var story = stories[award.ref.incident] else { return }
            story.award = award
            story.lines.append(DemoTranscript.round(story, profiles: profiles, at: now))
            story.answers.removeAll()
            stories[award.ref.incident] = story
        case .retrying(let id, let attempt, let why):
            stories[id]?.lines.append("\(DemoTranscript.clock(now))  attempt \(attempt) failed: \(why.name); re-announcing after backoff")
            stories[id]?.answers.removeAll()
        case .backlogged(let id):
            stories[id]?.lines.append("\(DemoTranscript.clock(now))  every capable specialist is busy: waiting in the backlog")
        case .concluded(let id, let conclusion):
            let line = DemoTranscript.conclusion(conclusion, profiles: profiles, at: now, since: stories[id]?.incident.createdAt ?? now)
            stories[id]?.lines.append(line)
        case .sendReject, .sendCancel, .announced, .ignored, .duplicateIncident, .execute:
            break
        }
    }

    /// The specialist's policy decides, given its live load as the engine counts it.
    private func answer(_ ref: AuctionRef, specialist: SpecialistID) -> BidDecision {
        guard let incident = stories[ref.incident]?.incident else { return .refuse(.declined) }
        let observation = models[specialist.index].observation(
            incident.category, incident.severity,
            age: clock.now - incident.createdAt, slackToSLA: incident.slaDeadline - clock.now,
            load: engine.specialists.load(specialist), recentWinRate: 0.5, stormIntensity: 1
        )
        return policy.decide(observation)
    }
}
