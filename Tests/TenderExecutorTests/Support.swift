import Foundation
import TenderConfig
import TenderCore
@testable import TenderExecutor

enum Repository {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func profile(_ name: String) throws -> SpecialistProfile {
        try ProfileLoader.load(path: root.appendingPathComponent("specialists/\(name).yaml").path)
    }

    static var ledgerProgram: String { root.appendingPathComponent("examples/ledger-action.py").path }
}

/// Every string a shell would treat specially, in one value.
let shellMetacharacters = "a;b|c&d$(e)`f`<g>h'i\"j\\k*l?m[n]{o}~p#q!r\ns"

/// A step with the given traits, for machine and recovery tests.
func step(_ action: String, undo: String = "undo", idempotent: Bool = false, retries: Int = 0, risk: RiskLevel = .low,
          undoIdempotent: Bool = true, undoRetries: Int = 0) -> ValidatedStep {
    ValidatedStep(action: action, undo: undo, risk: risk, parameters: [TypedParameter(name: "host", type: .host, value: "web-1")],
                  idempotent: idempotent, undoIdempotent: undoIdempotent, retries: retries, undoRetries: undoRetries,
                  timeoutSeconds: 10, undoTimeoutSeconds: 10)
}

func plan(_ steps: [ValidatedStep]) -> ValidatedPlan {
    ValidatedPlan(incident: IncidentID(1), specialist: "network", playbook: "test", steps: steps)
}

/// A plan as the network specialist would send it for the absorb-flood playbook.
func absorbFloodPlan(ip: String = "203.0.113.9", rate: String = "100") -> RemediationPlan {
    RemediationPlan(playbook: "absorb-flood", steps: [
        .init(action: "rate_limit", parameters: [.init(name: "ip", type: "ip", value: ip), .init(name: "requests_per_s", type: "count", value: rate)], risk: "low", undo: "remove_rate_limit"),
        .init(action: "blackhole_prefix", parameters: [.init(name: "ip", type: "ip", value: ip)], risk: "high", undo: "withdraw_blackhole"),
    ], summary: "absorb-flood")
}

