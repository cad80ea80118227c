import Foundation
import Testing

/// Every `--json` output uses snake_case keys (docs/JSON.md). `bench coordinator` used to print
/// camelCase (`auctionsPerSecond`, `admissionLimit`), unlike every other command.
@Suite struct JSONKeyTests {
    /// Objects whose keys are names from the data (specialists, allocators), not field names.
    static let dataKeyed: Set<String> = ["utilization", "calibration", "failure_rate", "allocators"]

    /// Every field name in `value` that is not snake_case, with its path.
    static func offending(_ value: Any, path: String = "") -> [String] {
        if let array = value as? [Any] {
            return array.enumerated().flatMap { offending($1, path: "\(path)[\($0)]") }
        }
        guard let object = value as? [String: Any] else { return [] }
        return object.flatMap { key, child -> [String] in
            let here = path.isEmpty ? key : "\(path).\(key)"
            let ownKey = key.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "_" } && key.first?.isLetter == true
            let inside = dataKeyed.contains(key)
                ? ((child as? [String: Any])?.flatMap { offending($1, path: "\(here).\($0)") } ?? [])
                : offending(child, path: here)
            return (ownKey ? [] : [here]) + inside
        }
    }

    static func parse(_ result: TenderProcess.Result) throws -> Any {
        #expect(result.status == 0, "\(result.stderr)")
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
    }

    @Test func simulateAndCompareAndValidate() throws {
        for arguments in [
            ["simulate", "simulations/steady-state.yaml", "--json"],
            ["simulate", "simulations/steady-state.yaml", "--seeds", "2", "--json"],
            ["compare", "simulations/steady-state.yaml", "--allocators", "contract-net,round-robin", "--json"],
            ["validate", "--json", "specialists", "simulations", "policies"],
        ] {
            let json = try Self.parse(try TenderProcess.run(arguments))
            #expect(Self.offending(json).isEmpty, "\(arguments[0]): \(Self.offending(json))")
        }
    }

    @Test func benchSimulate() throws {
        let json = try Self.parse(try TenderProcess.run(["bench", "simulate", "--incidents", "2000", "--contract-net-incidents", "2000", "--repeats", "1"]))
        #expect(Self.offending(json).isEmpty, "\(Self.offending(json))")
    }

    @Test func benchCoordinator() throws {
        let result = try TenderProcess.run([
            "bench", "coordinator", "--specialists", "2", "--processes", "1", "--rate", "200", "--duration", "0.5", "--json",
        ])
        let json = try #require(try Self.parse(result) as? [String: Any])
        #expect(Self.offending(json).isEmpty, "\(Self.offending(json))")
        for key in ["auctions_per_s", "admission_limit", "admission_target_ms", "cfp_to_award_us", "duration_s", "offered_per_s", "target_rate_per_s"] {
            #expect(json.keys.contains(key), "missing \(key)")
        }
        #expect((json["cfp_to_award_us"] as? [String: Any])?["p99"] != nil)
    }

    @Test func benchAuctionUnderLoad() throws {
        let result = try TenderProcess.run([
            "bench", "auction-under-load", "--specialists", "2", "--storm-rate", "100", "--poll-rate", "200",
            "--duration", "0.5", "--warmup", "0.2", "--json",
        ])
        let json = try #require(try Self.parse(result) as? [String: Any])
        #expect(Self.offending(json).isEmpty, "\(Self.offending(json))")
        #expect(((json["idle"] as? [String: Any])?["cfp_to_award_us"] as? [String: Any])?["p99"] != nil)
        let poll = (json["polling"] as? [String: Any])?["poll"] as? [String: Any]
        #expect((poll?["responses"] as? Int ?? 0) > 0)
        #expect(poll?["non_2xx"] as? Int == 0)
    }

    @Test func benchHTTPAgainstTheCoordinator() throws {
        let result = try TenderProcess.run(["bench", "http", "--specialists", "2", "--connections", "2", "--duration", "0.3", "--json"])
        let json = try #require(try Self.parse(result) as? [String: Any])
        #expect(Self.offending(json).isEmpty, "\(Self.offending(json))")
        let rows = json["results"] as? [[String: Any]] ?? []
        #expect(Set(rows.compactMap { $0["endpoint"] as? String }) == ["POST /v1/incidents", "GET /v1/fairness"])
        // Every POST was acknowledged (durable), every GET answered.
        #expect(rows.allSatisfy { $0["backend"] as? String == "coordinator" && $0["non_2xx"] as? Int == 0 && ($0["responses"] as? Int ?? 0) > 0 })
    }

    @Test func theCheckRejectsCamelCase() {
        #expect(Self.offending(["auctionsPerSecond": 1, "ok_key": ["innerKey": 2]]).sorted() == ["auctionsPerSecond", "ok_key.innerKey"])
        #expect(Self.offending(["utilization": ["Security-1": 0.5]]).isEmpty)
    }
}
