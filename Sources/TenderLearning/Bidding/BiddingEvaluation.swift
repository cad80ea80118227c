import Foundation
import TenderCore
import TenderSim

/// Counts outcomes by severity over a simulation (the critical-breach figure of an evaluation).
final class OutcomeCounter: SimulationObserver, @unchecked Sendable {
    var concluded = [0, 0, 0, 0]
    var breached = [0, 0, 0, 0]

    func concluded(
        _ incident: IncidentID, _ conclusion: Conclusion, category: IncidentCategory, severity: Severity,
        arrivedAt: Double, slaDeadline: Double, at now: Double
    ) {
        if case .cancelled = conclusion { return }
        concluded[severity.rawValue] += 1
        let escalated: Bool
        if case .escalated = conclusion { escalated = true } else { escalated = false }
        if escalated || now > slaDeadline { breached[severity.rawValue] += 1 }
    }
}

/// Runs policies and allocators on the same storms and reports mean TTR with a 95% confidence
/// interval across storms (normal approximation), escalations and critical SLA breaches.
public enum BiddingEvaluation {
    /// One contender: a label and how to configure the simulation for it.
    public struct Contender: Sendable {
        public var label: String
        public var allocator: String
        public var policy: (any BiddingPolicy)?
        public init(label: String, allocator: String = "contract-net", policy: (any BiddingPolicy)? = nil) {
            self.label = label
            self.allocator = allocator
            self.policy = policy
        }
    }

    public static func run(
        family: StormFamily, seeds: [UInt64], contenders: [Contender], progress: (Double) -> Void = { _ in }
    ) throws -> [PolicyCheckpoint.EvaluationRow] {
        var rows: [PolicyCheckpoint.EvaluationRow] = []
        let total = Double(seeds.count * contenders.count)
        var done = 0.0
        for contender in contenders {
            var ttrs: [Double] = []
            var escalated = 0, incidents = 0, criticalBreached = 0, critical = 0, open = 0
            var jains: [Double] = []
            var bounds: [Double] = []
            for seed in seeds {
                let (scenario, _) = family.storm(seed: seed)
                var options = SimulationOptions(allocator: contender.allocator)
                options.biddingPolicy = contender.policy
                let counter = OutcomeCounter()
                options.observer = counter
                options.samples = 1
                let summary = try Simulation(scenario: scenario, options: options).run().summary
                if summary.meanTTRSeconds.isFinite { ttrs.append(summary.meanTTRSeconds) }
                escalated += summary.escalated
                open += summary.open
                if summary.jainIndex.isFinite { jains.append(summary.jainIndex) }
                if summary.ttrLowerBoundSeconds > 0 { bounds.append(summary.ttrLowerBoundSeconds) }
                incidents += summary.incidents
                criticalBreached += counter.breached[0]
                critical += counter.concluded[0]
                done += 1
                progress(done / total)
            }
            let mean = ttrs.reduce(0, +) / Double(max(ttrs.count, 1))
            let variance = ttrs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(ttrs.count - 1, 1))
            rows.append(.init(
                storms: "\(family.kind.rawValue) ×\(seeds.count)", allocator: contender.label, meanTTR: mean,
                meanTTRConfidence95: 1.96 * (variance / Double(max(ttrs.count, 1))).squareRoot(),
                escalatedShare: Double(escalated) / Double(max(incidents, 1)),
                criticalBreachRate: Double(criticalBreached) / Double(max(critical, 1)),
                openShare: Double(open) / Double(max(incidents, 1)),
                jainIndex: jains.isEmpty ? nil : jains.reduce(0, +) / Double(jains.count),
                ttrLowerBound: bounds.isEmpty ? nil : bounds.reduce(0, +) / Double(bounds.count)
            ))
        }
        return rows
    }
}
