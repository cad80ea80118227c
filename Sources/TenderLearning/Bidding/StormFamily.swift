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
    /// Share of training storms with an `Outage` (the hold-out family has none planned; its
    /// outages come from one-member rotas crashing together).
    public static let outageShare = 0.35
    /// Seconds an outage lasts: past the engine's 300 s `noCapableTimeout`, so what waits for
    /// the category then is escalated, but short, so most of the escalations it causes are the
    /// backlog left from before it (the policy's doing), not arrivals during it.
    public static let outageLength = 420.0...1200.0

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
        // Training only (drawn last, so the hold-out's draws are unchanged): an outage in
        // which every specialist able to take one category is away at once.
        var outage: Outage?
        if !holdout, random.nextUnit() < Self.outageShare {
            outage = Outage(
                category: IncidentCategory.allCases[random.nextIndex(below: 4)], start: hours * 3600 * uniform(0.2...0.8),
                length: uniform(Self.outageLength)
            )
            groups = outage!.apply(to: groups, minimumSkill: BidActions.standard.minimumSkill)
        }
        let name = "\(kind.rawValue)-\(seed)"
        let scenario = Scenario(
            name: name, seed: seed, stop: .duration(hours * 3600), warmup: 0, specialists: groups, arrivals: arrivals,
            cascades: cascades, backlog: .priority, allocator: "contract-net", policy: "honest"
        )
        var description = "\(name) pool=\(groups.map(\.count)) crash=\(groups.map { $0.crash != nil }) load=\(load) bursts=\(bursts) cascades=\(cascades.count) hours=\(hours)"
        if let outage { description += " outage=\(outage.category.name)@\(outage.start)+\(outage.length)" }
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

/// A stretch of a training storm in which every specialist able to take `category` (skill at
/// least the bidding minimum, generalists included) is away: each such group leaves at `start`
/// and an identical group (new members) joins at `start + length`. It is what the hold-out
/// family's crashing one-member rotas do now and then (several rotas able to take a category
/// down at once), made common enough to learn from: once nobody capable has been present for
/// the engine's `noCapableTimeout`, everything still waiting for the category is escalated,
/// including work declined earlier and left in the backlog.
public struct Outage: Sendable, Hashable {
    public var category: IncidentCategory
    public var start: Double
    public var length: Double

    public init(category: IncidentCategory, start: Double, length: Double) {
        self.category = category
        self.start = start
        self.length = length
    }

    /// When every capable specialist is back.
    public var end: Double { start + length }

    /// `groups` with every group capable of `category` split into the part before the outage
    /// and the part after it (named `NAME (after outage)`); the others unchanged.
    public func apply(to groups: [SpecialistGroup], minimumSkill: Double) -> [SpecialistGroup] {
        var result: [SpecialistGroup] = []
        for group in groups {
            guard group.skills[category] >= minimumSkill, group.joinAt < start, group.leaveAt.map({ $0 > start }) ?? true else {
                result.append(group)
                continue
            }
            var before = group
            before.leaveAt = start
            var after = group
            after.name = "\(group.name) (after outage)"
            after.joinAt = end
            result.append(before)
            if group.leaveAt.map({ $0 > end }) ?? true { result.append(after) }
        }
        return result
    }
}
