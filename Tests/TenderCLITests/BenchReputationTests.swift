import Foundation
import Testing

/// `tender bench reputation`: one command from the data behind issue 12's goals.
@Suite struct BenchReputationTests {
    @Test func printsTheAwardRatioWithAConfidenceIntervalInSnakeCase() throws {
        let result = try TenderProcess.run(["bench", "reputation", "--seeds", "2", "--scenarios", "", "--json"])
        let json = try #require(try JSONKeyTests.parse(result) as? [String: Any])
        #expect(JSONKeyTests.offending(json).isEmpty, "\(JSONKeyTests.offending(json))")
        let peer = try #require(json["unreliable_peer"] as? [String: Any])
        let on = try #require((peer["reputation_on"] as? [String: Any])?["award_ratio"] as? [String: Any])
        let off = try #require((peer["reputation_off"] as? [String: Any])?["award_ratio"] as? [String: Any])
        let (meanOn, meanOff) = (try #require(on["mean"] as? Double), try #require(off["mean"] as? Double))
        #expect(meanOn < meanOff)
        #expect((on["ci95"] as? [Double])?.count == 2)
        #expect(peer["goal_met"] as? Bool == true)
    }

    @Test func badArgumentsGetAClearError() throws {
        let seeds = try TenderProcess.run(["bench", "reputation", "--seeds", "1"])
        #expect(seeds.status != 0)
        #expect(seeds.stderr.contains("--seeds must be from 2"))
        let names = try TenderProcess.run(["bench", "reputation", "--seeds", "2", "--scenarios", "", "--reliable", "nobody"])
        #expect(names.status != 0)
        #expect(names.stderr.contains("nobody"), "\(names.stderr)")
    }

    @Test func theLiveCommandsTakeReputationOnOrOff() throws {
        for command in ["coordinator", "up"] {
            let result = try TenderProcess.run([command, "--reputation", "maybe"])
            #expect(result.status != 0)
            #expect(result.stderr.contains("--reputation must be on or off, not `maybe`"), "\(command): \(result.stderr)")
        }
        let help = try TenderProcess.run(["coordinator", "--help"])
        #expect(help.stdout.contains("--reputation"))
    }
}
