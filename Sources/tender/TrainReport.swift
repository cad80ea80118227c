import Foundation
import TenderCore
import TenderLearning
import TenderSim

/// What `tender train` prints after an evaluation: the held-out table, or its JSON.
extension Train {
    /// The evaluation as a table (stdout) or JSON; `escalations` (by row label, from an
    /// evaluation run by this command) adds why each contender escalated.
    func report(_ checkpoint: PolicyCheckpoint, escalations: [String: EscalationBreakdown] = [:], wrote: String) throws {
        if json {
            try JSONOutput.print(JSONValue.array(checkpoint.evaluation.map { row in
                // Figures are JSON numbers; null where a row has none (or it is not finite).
                func number(_ value: Double?) -> JSONValue { value.map(JSONValue.number) ?? .null }
                var fields: [(String, JSONValue)] = [
                    ("allocator", .string(row.allocator)), ("mean_ttr_s", number(row.meanTTR)),
                    ("mean_ttr_ci95_s", number(row.meanTTRConfidence95)), ("escalated_share", number(row.escalatedShare)),
                    ("live_escalated_share", number(row.slaRiskShare == nil ? nil : row.liveEscalatedShare)),
                    ("critical_breach_rate", number(row.criticalBreachRate)), ("open_share", number(row.openShare)),
                    ("jain_index", number(row.jainIndex)), ("ttr_lower_bound_s", number(row.ttrLowerBound)),
                    ("reputation", row.reputation.map { .string($0 ? "on" : "off") } ?? .null),
                    ("mean_bid_multiplier", number(row.meanBidMultiplier)), ("refusal_share", number(row.refusalShare)),
                    ("calibration", number(row.calibration)),
                ]
                if let breakdown = escalations[row.allocator] { fields.append(("escalations", Self.json(breakdown))) }
                return .object(fields)
            }))
            return
        }
        print(wrote)
        for row in checkpoint.evaluation {
            var line = String(format: "  %-44@ TTR %6.0f ± %5.0f s (bound %5.0f s)  escalated %5.2f%% (live %5.2f%%)  critical breaches %5.1f%%  open at end %5.1f%%  Jain %.3f",
                              row.allocator, row.meanTTR, row.meanTTRConfidence95, row.ttrLowerBound ?? .nan, 100 * row.escalatedShare, 100 * row.liveEscalatedShare,
                              100 * row.criticalBreachRate, 100 * row.openShare, row.jainIndex ?? .nan)
            if let multiplier = row.meanBidMultiplier { line += String(format: "  bid ×%.2f", multiplier) }
            if let refusals = row.refusalShare { line += String(format: "  refused %.0f%%", 100 * refusals) }
            if let calibration = row.calibration { line += String(format: "  calibration %.2f", calibration) }
            print(line)
        }
        let explained = checkpoint.evaluation.compactMap { row in escalations[row.allocator].map { (row.allocator, $0) } }
        if !explained.isEmpty {
            print("escalations by reason (no_capable_specialist: was anybody capable present; had a round of the incident ended with every answer a refusal):")
            for (label, breakdown) in explained where !breakdown.reasons.isEmpty {
                print("  \(label): \(breakdown.summary)")
            }
        }
    }

    /// `{by_reason: {...}, no_capable_specialist: {nobody_present_never_declined, ...}}`.
    static func json(_ breakdown: EscalationBreakdown) -> JSONValue {
        .object([
            ("by_reason", .object(breakdown.reasons.sorted { $0.key < $1.key }.map { ($0.key, .integer($0.value)) })),
            ("no_capable_specialist", .object(breakdown.noCapableSplit.map { ($0.key, .integer($0.count)) })),
            ("resolved_past_sla_risk_point", .integer(breakdown.resolvedPastSLARiskPoint)),
        ])
    }
}
