import Foundation
import TenderConfig
import TenderCore

/// Randomised storms built from the four shipped specialist profiles, for training on a
/// distribution rather than on five fixed scenarios: pool sizes, load, bursts of criticals,
/// cascades across categories and crashing specialists are all drawn per storm. `training`
/// and `holdout` draw from different ranges (the hold-out has thinner and larger rotas, more
/// overload and longer runs) so validation measures generalisation, not memory.
public struct StormFamily: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case training, holdout
    }

    public let kind: Kind
    public let profiles: [SpecialistProfile]

    public init(kind: Kind, profiles: [SpecialistProfile]) {
        self.kind = kind
        self.profiles = profiles
    }

    /// Loads the four profiles from `directory`.
    public static func loadProfiles(directory: String) throws -> [SpecialistProfile] {
        try ["security", "performance", "network", "database"].map { try ProfileLoader.load(path: "\(directory)/\($0).yaml") }
    }

    /// The storm for `seed`, and a description whose hash identifies it in checkpoints.
    public func storm(seed: UInt64) -> (scenario: Scenario, description: String) {
        var random = SeededGenerator(seed: seed ^ (kind == .training ? 0x7472_6169_6E00 : 0x686F_6C64_6F75))
        func uniform(_ range: ClosedRange<Double>) -> Double { range.lowerBound + random.nextUnit() * (range.upperBound - range.lowerBound) }
        func pick(_ range: ClosedRange<Int>) -> Int { range.lowerBound + random.nextIndex(below: range.count) }
        let holdout = kind == .holdout
        var groups: [SpecialistGroup] = []
        for profile in profiles {
            // Hold-out rotas are thinner (1) or larger (5–6) than any seen in training (2–4).
            let count = holdout ? (random.nextUnit() < 0.5 ? 1 : pick(5...6)) : pick(1...4)
            var group = SpecialistGroup(
                name: profile.name, count: count, kind: profile.kind, capacity: profile.capacity, skills: profile.skills,
                service: profile.service, failure: profile.failure
            )
            if random.nextUnit() < (holdout ? 0.5 : 0.3) {
                group.crash = CrashModel(meanTimeBetween: uniform(holdout ? 3600...14400 : 7200...43200), downtime: uniform(600...3600))
            }
            groups.append(group)
        }
        // Offered load ρ per category: arrivals at ρ times what the capable members could serve
        // if they did nothing else (skill-scaled), times a random share, so no category is
        // drowned only because its rota is thin.
        let load = uniform(holdout ? 0.4...1.3 : 0.3...1.1)
        let severityShare: [(Severity, Double)] = [(.critical, 0.1), (.high, 0.25), (.medium, 0.4), (.low, 0.25)]
        var arrivals: [ArrivalStream] = []
        var totalRate = 0.0
        for category in IncidentCategory.allCases {
            var serviceRate = 0.0
            for group in groups where group.skills[category] >= 0.1 {
                serviceRate += Double(group.count * group.capacity) * group.skills[category] / group.service.mean(for: category, .medium)
            }
            // Shared capacity: each category may use about a quarter of the pool's work.
            let rate = load * serviceRate * uniform(0.15...0.35)
            totalRate += rate
            for (severity, share) in severityShare {
                arrivals.append(ArrivalStream(category: category, severity: severity, rate: rate * share))
            }
        }
        let bursts = pick(0...(holdout ? 3 : 2))
        for _ in 0..<bursts {
            let category = IncidentCategory.allCases[random.nextIndex(below: 4)]
            let base = totalRate * 0.02
            arrivals.append(ArrivalStream(
                category: category, severity: random.nextUnit() < 0.5 ? .critical : .high, rate: base,
                process: .bursty(burstRate: base * uniform(10...40), meanOn: uniform(600...2400), meanOff: uniform(3600...14400))
            ))
        }
        var cascades: [CascadeRule] = []
        for _ in 0..<pick(0...(holdout ? 3 : 2)) {
            let trigger = IncidentCategory.allCases[random.nextIndex(below: 4)]
            let follow = IncidentCategory.allCases[random.nextIndex(below: 4)]
            cascades.append(CascadeRule(
                trigger: trigger, triggerSeverity: .critical, follow: follow, followSeverity: random.nextUnit() < 0.15 ? .critical : .high,
                probability: uniform(0.05...0.3), delay: .exponential(mean: uniform(60...600))
            ))
        }
        let hours = holdout ? uniform(12...36) : uniform(4...10)
        let name = "\(kind.rawValue)-\(seed)"
        let scenario = Scenario(
            name: name, seed: seed, stop: .duration(hours * 3600), warmup: 0, specialists: groups, arrivals: arrivals,
            cascades: cascades, backlog: .priority, allocator: "contract-net", policy: "honest"
        )
        let description = "\(name) pool=\(groups.map(\.count)) crash=\(groups.map { $0.crash != nil }) load=\(load) bursts=\(bursts) cascades=\(cascades.count) hours=\(hours)"
        return (scenario, description)
    }

    /// FNV-1a 64 of a storm description, as hex: a stable identity for checkpoints.
    public static func hash(_ description: String) -> String {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in description.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x100_0000_01B3
        }
        return String(h, radix: 16)
    }
}
