import Foundation
import Testing

/// A storm the simulator cannot finish is refused with a reason instead of growing without
/// bound (`rate: 1000000` grew to 7 GB in 60 s).
@Suite struct SimulateLimitsTests {
    static func scenario(rate: Double, duration: Int) throws -> URL {
        let profiles = TenderProcess.repository.appendingPathComponent("specialists").path
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("flood-\(UUID().uuidString).yaml")
        try """
        name: flood
        seed: 1
        duration: \(duration)
        specialists:
          - {profile: \(profiles)/security.yaml, count: 2}
        arrivals:
          - {category: security, severity: high, process: poisson, rate: \(rate)}
        """.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    @Test func aRunExpectedToAdmitTooManyIncidentsIsRefusedAtOnce() throws {
        let file = try Self.scenario(rate: 1_000_000, duration: 3600)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try TenderProcess.run(["simulate", file.path, "--json"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("would admit about 3600000000 incidents per run, more than --max-incidents 20000000"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func aStormThePoolCannotKeepUpWithStopsAtTheOpenLimit() throws {
        // 50 incidents a second against two specialists: the backlog only grows.
        let file = try Self.scenario(rate: 50, duration: 100_000)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try TenderProcess.run(["simulate", file.path, "--max-open", "20000", "--json"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("more than 20000 incidents open at once"), "\(result.stderr)")
        #expect(result.stderr.contains("raise --max-open"))
    }

    @Test func raisingTheLimitLetsARunThrough() throws {
        let file = try Self.scenario(rate: 0.001, duration: 100_000)
        defer { try? FileManager.default.removeItem(at: file) }
        let refused = try TenderProcess.run(["simulate", file.path, "--max-incidents", "50", "--json"])
        #expect(refused.status == 1)
        let allowed = try TenderProcess.run(["simulate", file.path, "--max-incidents", "1000", "--json"])
        #expect(allowed.status == 0, "\(allowed.stderr)")
    }
}
