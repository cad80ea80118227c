import TenderConfig
import TenderCore
import TenderSim

/// `tender demo` is a simulation: the four specialists (one of each profile) and a burst of
/// incidents, run by the simulator and the one engine, watched by this observer that gathers
/// a readable story per incident. No second event queue, no second specialist model.
final class DemoTranscriptObserver: SimulationObserver, @unchecked Sendable {
    /// What happened to one incident, gathered for the transcript.
    struct Story {
        var category: IncidentCategory?
        var severity: Severity?
        var arrivedAt = 0.0
        var answers: [(specialist: SpecialistID, decision: BidDecision)] = []
        var lines: [String] = []
    }

    let names: [String]
    var stories: [IncidentID: Story] = [:]

    init(names: [String]) { self.names = names }

    func answered(_ ref: AuctionRef, by specialist: SpecialistID, _ decision: BidDecision, at now: Double) {
        stories[ref.incident, default: Story()].answers.append((specialist, decision))
    }

    func engineAction(_ action: EngineAction, at now: Double) {
        let instant = Instant(seconds: now)
        switch action {
        case .awarded(let award):
            var story = stories[award.ref.incident, default: Story()]
            story.lines.append(DemoTranscript.round(award, answers: story.answers, names: names, at: instant))
            story.answers.removeAll()
            stories[award.ref.incident] = story
        case .retrying(let id, let attempt, let why):
            stories[id, default: Story()].lines.append("\(DemoTranscript.clock(instant))  attempt \(attempt) failed: \(why.name); re-announcing after backoff")
            stories[id, default: Story()].answers.removeAll()
        case .backlogged(let id):
            stories[id, default: Story()].lines.append("\(DemoTranscript.clock(instant))  every capable specialist is busy: waiting in the backlog")
        default:
            break
        }
    }

    func concluded(
        _ incident: IncidentID, _ conclusion: Conclusion, category: IncidentCategory, severity: Severity,
        arrivedAt: Double, slaDeadline: Double, at now: Double
    ) {
        var story = stories[incident, default: Story()]
        story.category = category
        story.severity = severity
        story.arrivedAt = arrivedAt
        story.lines.append(DemoTranscript.conclusion(conclusion, names: names, at: Instant(seconds: now), since: Instant(seconds: arrivedAt)))
        stories[incident] = story
    }
}

/// The demo's storm: one specialist of each profile and `incidents` arrivals about 90 s apart,
/// every category alike, severities weighted 1 critical : 2 high : 3 medium : 1 low.
enum DemoScenario {
    static func make(profiles: [SpecialistProfile], incidents: Int, policy: String, seed: UInt64) -> Scenario {
        let severityWeights: [(Severity, Double)] = [(.critical, 1), (.high, 2), (.medium, 3), (.low, 1)]
        var arrivals: [ArrivalStream] = []
        for category in IncidentCategory.allCases {
            for (severity, weight) in severityWeights {
                arrivals.append(ArrivalStream(category: category, severity: severity, rate: 1.0 / 90 / 4 * weight / 7))
            }
        }
        let groups = profiles.map {
            SpecialistGroup(name: $0.name, count: 1, kind: $0.kind, capacity: $0.capacity, skills: $0.skills, service: $0.service, failure: $0.failure)
        }
        return Scenario(
            name: "demo", seed: seed, stop: .incidents(incidents), specialists: groups, arrivals: arrivals,
            allocator: "contract-net", policy: policy, messageLatency: 0.01
        )
    }
}
