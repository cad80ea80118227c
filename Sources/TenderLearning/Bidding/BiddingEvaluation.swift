import Foundation
import TenderCore
import TenderSim

/// Runs policies and allocators on the same storms and reports mean TTR with a 95% confidence
/// interval across storms (Student's t), escalations, critical SLA breaches, Jain's index, and
/// for bidding policies what they bid: the mean multiplier on the honest ETA, the refusal share
/// and the calibration (delivered ÷ promised time) the engine's track record holds for them.
/// Reputation is on unless a contender turns it off, as in production.
public enum BiddingEvaluation {
    /// One contender: a label and how to configure the simulation for it.
    public struct Contender: Sendable {
        public var label: String
        public var allocator: String
        public var policy: (any BiddingPolicy)?
        /// Whether awards weigh track records (the engine's reputation), as they do live.
        public var reputation: Bool
        public init(label: String, allocator: String = "contract-net", policy: (any BiddingPolicy)? = nil, reputation: Bool = true) {
            self.label = label
            self.allocator = allocator
            self.policy = policy
            self.reputation = reputation
        }
    }

    public static func run(
        family: StormFamily, seeds: [UInt64], contenders: [Contender], progress: (Double) -> Void = { _ in }
    ) throws -> [PolicyCheckpoint.EvaluationRow] {
        try runWithEscalations(family: family, seeds: seeds, contenders: contenders, progress: progress).map(\.row)
    }

    /// `run`, with each row's escalations counted by the engine's reason and, for
    /// `no_capable_specialist`, split by whether anybody capable was present and whether a
    /// round of the incident had ended with every answer a refusal (`EscalationBreakdown`):
    /// which escalations a bidding policy caused and which no policy could prevent.
    public static func runWithEscalations(
        family: StormFamily, seeds: [UInt64], contenders: [Contender], progress: (Double) -> Void = { _ in }
    ) throws -> [(row: PolicyCheckpoint.EvaluationRow, escalations: EscalationBreakdown)] {
        var rows: [(row: PolicyCheckpoint.EvaluationRow, escalations: EscalationBreakdown)] = []
        let total = Double(seeds.count * contenders.count)
        var done = 0.0
        for contender in contenders {
            var ttrs: [Double] = []
            var escalated = 0, incidents = 0, criticalBreached = 0, critical = 0, open = 0
            var jains: [Double] = []
            var bounds: [Double] = []
            var calibrations: [Double] = []
            var reasons = EscalationBreakdown()
            let tally = contender.policy.map(BidTally.init)
            for seed in seeds {
                let (scenario, _) = family.storm(seed: seed)
                var options = SimulationOptions(allocator: contender.allocator)
                options.biddingPolicy = tally
                options.reputation = contender.reputation
                let counter = OutcomeCounter()
                options.observer = counter
                options.samples = 1
                options.ttrDistribution = false
                let summary = try Simulation(scenario: scenario, options: options).run().summary
                ttrs.append(summary.meanTTRSeconds)
                escalated += summary.escalated
                open += summary.open
                if summary.jainIndex.isFinite { jains.append(summary.jainIndex) }
                if summary.ttrLowerBoundSeconds > 0 { bounds.append(summary.ttrLowerBoundSeconds) }
                let known = summary.calibration.values.compactMap { $0 }.filter(\.isFinite)
                if !known.isEmpty { calibrations.append(known.reduce(0, +) / Double(known.count)) }
                incidents += summary.incidents
                criticalBreached += counter.breached[0]
                critical += counter.concluded[0]
                reasons.merge(counter.escalations)
                done += 1
                progress(done / total)
            }
            let finite = ttrs.filter(\.isFinite)
            rows.append((PolicyCheckpoint.EvaluationRow(
                storms: Self.describe(family.kind, seeds), allocator: contender.label, meanTTR: mean(finite),
                meanTTRConfidence95: confidence95(finite),
                escalatedShare: Double(escalated) / Double(max(incidents, 1)),
                criticalBreachRate: Double(criticalBreached) / Double(max(critical, 1)),
                openShare: Double(open) / Double(max(incidents, 1)),
                jainIndex: jains.isEmpty ? nil : mean(jains),
                ttrLowerBound: bounds.isEmpty ? nil : mean(bounds),
                reputation: contender.allocator == "contract-net" ? contender.reputation : nil,
                meanBidMultiplier: tally?.meanMultiplier, refusalShare: tally?.refusalShare,
                calibration: calibrations.isEmpty ? nil : mean(calibrations),
                stormTTRs: finite.count == ttrs.count ? ttrs : nil,
                slaRiskShare: Double(reasons.resolvedPastSLARiskPoint) / Double(max(incidents, 1))
            ), reasons))
        }
        return rows
    }

    /// `holdout ×16 (seeds 10000–10015)`: which storms a row ran on.
    static func describe(_ kind: StormFamily.Kind, _ seeds: [UInt64]) -> String {
        guard let first = seeds.first, let last = seeds.last else { return "\(kind.rawValue) ×0" }
        let contiguous = seeds.count == Int(last &- first) + 1
        return "\(kind.rawValue) ×\(seeds.count)" + (contiguous ? " (seeds \(first)–\(last))" : "")
    }

    static func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(max(values.count, 1)) }

    /// Half-width of the 95% interval of the mean of `values` (Student's t, n − 1 degrees);
    /// 0 for fewer than two values, where there is no interval (and JSON has no NaN).
    public static func confidence95(_ values: [Double]) -> Double {
        guard values.count > 1 else { return 0 }
        let m = mean(values)
        let variance = values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)
        return StudentT.quantile975(degrees: values.count - 1) * (variance / Double(values.count)).squareRoot()
    }
}

/// The 97.5% quantile of Student's t, for two-sided 95% intervals over a few seeds.
public enum StudentT {
    static let table: [Double] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
        2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ]

    public static func quantile975(degrees: Int) -> Double {
        guard degrees >= 1 else { return .nan }
        if degrees <= table.count { return table[degrees - 1] }
        return degrees <= 60 ? 2.000 : degrees <= 120 ? 1.980 : 1.960
    }
}
