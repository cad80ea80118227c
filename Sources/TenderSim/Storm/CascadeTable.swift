import TenderConfig
import TenderCore

/// Cascade rules indexed by the triggering category, with their own random stream.
struct CascadeTable {
    /// Follow-ups of a follow-up cascade too, up to this depth, so a rule set whose chain
    /// probabilities multiply to more than one still ends.
    static let maximumDepth: UInt8 = 4

    private let rules: PerCategory<[CascadeRule]>
    private var random: SeededGenerator
    var isEmpty: Bool

    init(rules: [CascadeRule], seed: UInt64) {
        self.rules = PerCategory { category in rules.filter { $0.trigger == category } }
        random = SeededGenerator(seed: seed)
        isEmpty = rules.isEmpty
    }

    /// The follow-ups an arrival triggers, as `(delay, category, severity)`, in rule order.
    mutating func followUps(of category: IncidentCategory, _ severity: Severity, depth: UInt8, into out: inout [(Double, IncidentCategory, Severity)]) {
        out.removeAll(keepingCapacity: true)
        guard depth < Self.maximumDepth else { return }
        for rule in rules[category] where rule.triggerSeverity == nil || rule.triggerSeverity == severity {
            // Draw both numbers whether or not the rule fires, so one rule's outcome does not
            // shift the random stream of the next.
            let fires = random.nextUnit() < rule.probability
            let delay = rule.delay.sample(&random)
            if fires { out.append((delay, rule.follow, rule.followSeverity ?? severity)) }
        }
    }
}
