import Foundation
import Testing

/// `tender simulate` and `tender compare` as a user runs them: the JSON they promise, the HTML
/// report, and errors for bad input.
@Suite struct SimulateCommandTests {
    static let scenario = "simulations/steady-state.yaml"

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func jsonHasEveryPromisedKeyAndIsReproducibleBySeed() throws {
        let first = try TenderProcess.run(["simulate", Self.scenario, "--seed", "7", "--json"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.isEmpty, "no progress bar when stderr is not a terminal")
        let object = try Self.json(first.stdout)
        for key in ["incidents", "resolved", "escalated", "mean_wait_s", "mean_ttr_s", "p50_ttr_s", "p95_ttr_s",
                    "p99_ttr_s", "sla_breach_rate", "jain_index", "gini", "utilization", "messages_per_incident",
                    "rollbacks", "sim_incidents_per_s"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        #expect((object["incidents"] as? Int ?? 0) > 1000)
        #expect((object["utilization"] as? [String: Double])?.count == 8)

        let again = try Self.json(try TenderProcess.run(["simulate", Self.scenario, "--seed", "7", "--json"]).stdout)
        for key in ["incidents", "resolved", "mean_ttr_s", "p99_ttr_s", "jain_index", "rollbacks"] {
            #expect("\(object[key]!)" == "\(again[key]!)", "\(key) differs between runs with the same seed")
        }
    }

    @Test func reportsBreachRatesBySeverityAndTheTTRLowerBound() throws {
        let result = try TenderProcess.run(["simulate", Self.scenario, "--seed", "3", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try Self.json(result.stdout)
        let bySeverity = try #require(object["sla_breach_rate_by_severity"] as? [String: Double])
        #expect(Set(bySeverity.keys) == ["critical", "high", "medium", "low"])
        for (severity, rate) in bySeverity { #expect((0...1).contains(rate), "\(severity) rate \(rate)") }
        // Criticals have the tightest SLA, so they breach most often on any loaded pool.
        #expect(bySeverity["critical"]! >= bySeverity["low"]!)
        let bound = try #require(object["ttr_lower_bound_s"] as? Double)
        let mean = try #require(object["mean_ttr_s"] as? Double)
        #expect(bound > 0 && bound <= mean, "bound \(bound) against mean TTR \(mean)")

        // Every allocator faces the same storm and pool, so the same bound, and none beats it.
        let compared = try TenderProcess.run([
            "compare", Self.scenario, "--seed", "3", "--allocators", "contract-net,round-robin", "--json",
        ])
        #expect(compared.status == 0, "\(compared.stderr)")
        let rows = try #require(try Self.json(compared.stdout)["allocators"] as? [String: [String: Any]])
        #expect(rows.count == 2)
        for (name, row) in rows {
            let rowBound = try #require(row["ttr_lower_bound_s"] as? Double, "\(name)")
            #expect(abs(rowBound - bound) < 1e-9, "\(name): bound \(rowBound) differs from \(bound)")
            #expect(rowBound <= (row["mean_ttr_s"] as? Double ?? 0), "\(name)")
            #expect((row["sla_breach_rate_by_severity"] as? [String: Double])?.count == 4, "\(name)")
        }
    }

    @Test func severalSeedsGiveMeansWithConfidenceIntervals() throws {
        let result = try TenderProcess.run(["simulate", Self.scenario, "--seeds", "3", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let ttr = try #require(try Self.json(result.stdout)["mean_ttr_s"] as? [String: Any])
        let mean = try #require(ttr["mean"] as? Double)
        let bounds = try #require(ttr["ci95"] as? [Double])
        #expect(bounds.count == 2 && bounds[0] <= mean && mean <= bounds[1])
        #expect((ttr["half_width"] as? Double ?? 0) > 0, "three different storms cannot agree exactly")
    }

    @Test func compareWritesOneTableAndASelfContainedReport() throws {
        let report = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID().uuidString).html")
        defer { try? FileManager.default.removeItem(at: report) }
        let result = try TenderProcess.run([
            "compare", Self.scenario, "--allocators", "contract-net,central-greedy,round-robin", "--html", report.path,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = result.stdout.split(separator: "\n").map(String.init)
        for name in ["contract-net", "central-greedy", "round-robin"] {
            #expect(rows.contains { $0.hasPrefix(name + " ") }, "no row for \(name)")
        }

        let html = try String(contentsOf: report, encoding: .utf8)
        #expect(html.contains("<canvas id=\"ttr\">") && html.contains("<canvas id=\"jain\">"))
        #expect(html.contains("id=\"load\"") && html.contains("id=\"matrix\""))
        #expect(html.contains("Chart.defaults"), "the charting library is inlined")
        #expect(!html.contains("src=\"http") && !html.contains("href=\"http"), "a report that needs the network is not self-contained")
        let data = try #require(html.range(of: "<script id=\"data\" type=\"application/json\">"))
        let end = try #require(html.range(of: "</script>", range: data.upperBound..<html.endIndex))
        let embedded = try Self.json(String(html[data.upperBound..<end.lowerBound]))
        #expect((embedded["allocators"] as? [Any])?.count == 3)
    }

    @Test func compareJSONRunsEveryAllocatorOnTheSameStorm() throws {
        let result = try TenderProcess.run(["compare", Self.scenario, "--allocators", "contract-net,least-loaded", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let allocators = try #require(try Self.json(result.stdout)["allocators"] as? [String: [String: Any]])
        #expect(Set(allocators.keys) == ["contract-net", "least-loaded"])
        let incidents = allocators.values.map { "\($0["incidents"] ?? "?")" }
        #expect(incidents.count == 2 && incidents[0] == incidents[1], "common random numbers: both allocators see the same incidents")
    }

    /// Bidding policies compared like allocators: contract net once per policy, on the same
    /// storm, and a policy that changes bidding changes the result.
    @Test func comparePoliciesRunsContractNetOncePerPolicy() throws {
        let result = try TenderProcess.run([
            "compare", "simulations/ddos-storm.yaml", "--policies", "honest,specialists-only", "--allocators", "contract-net,central-greedy", "--json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try #require(try Self.json(result.stdout)["allocators"] as? [String: [String: Any]])
        #expect(Set(rows.keys) == ["contract-net/honest", "contract-net/specialists-only", "central-greedy"])
        let honest = try #require(rows["contract-net/honest"]), experts = try #require(rows["contract-net/specialists-only"])
        #expect("\(honest["incidents"] ?? "?")" == "\(experts["incidents"] ?? "-")", "the same storm for every policy")
        #expect("\(honest["messages_per_incident"] ?? "?")" != "\(experts["messages_per_incident"] ?? "?")", "experts-only bidding changes the auctions")

        let both = try TenderProcess.run(["compare", Self.scenario, "--policies", "honest", "--policy", "honest"])
        #expect(both.status != 0 && both.stderr.contains("either --policy or --policies"))
        let direct = try TenderProcess.run(["compare", Self.scenario, "--policies", "honest", "--allocators", "least-loaded"])
        #expect(direct.status != 0 && direct.stderr.contains("needs contract-net"))
        let unknown = try TenderProcess.run(["compare", Self.scenario, "--policies", "honest,no-such-policy"])
        #expect(unknown.status != 0 && unknown.stderr.contains("no-such-policy"))
    }

    @Test func anUnknownAllocatorIsNamed() throws {
        let result = try TenderProcess.run(["simulate", Self.scenario, "--allocator", "fastest"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("fastest"), "\(result.stderr)")
        #expect(result.stderr.contains("round-robin"), "the valid names are listed: \(result.stderr)")
    }

    @Test func aBrokenScenarioFailsWithFileAndLine() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("storm-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: file) }
        try """
        name: broken
        seed: 1
        duration: 100
        specialists:
          - {name: solo, count: 1, capacity: 1, skills: {security: 0.9}, service: {security: {distribution: exponential, mean: 10}}}
        arrivals:
          - {category: security, severity: high, process: poisson, rate: -1}
        """.write(to: file, atomically: true, encoding: .utf8)
        let result = try TenderProcess.run(["simulate", file.path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("\(file.path):7:"), "\(result.stderr)")
        #expect(!result.stderr.contains("Fatal error"))
    }
}
