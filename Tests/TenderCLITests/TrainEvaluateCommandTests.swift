import Foundation
import Testing

/// `tender train --evaluate CHECKPOINT --eval-seed-base N`: the checkpoint against every
/// allocator on held-out storms from seed N, rows saying which storms; never on the held-out
/// family's validation storms.
@Suite struct TrainEvaluateCommandTests {
    @Test func aCheckpointIsEvaluatedOnStormsFromTheSeedBaseAsked() throws {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("tender-eval-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: copy) }
        try FileManager.default.copyItem(atPath: TenderProcess.repository.appendingPathComponent("policies/ppo-default.json").path, toPath: copy)
        let result = try TenderProcess.run(["train", "--evaluate", copy, "--eval-storms", "1", "--eval-seed-base", "40000", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(rows.first?["allocator"] as? String == "contract-net/ppo-default")
        #expect(rows.contains { $0["allocator"] as? String == "central-greedy" })
        let written = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: copy))) as? [String: Any])
        let stored = try #require(written["evaluation"] as? [[String: Any]])
        #expect(stored.allSatisfy { $0["storms"] as? String == "holdout ×1 (seeds 40000–40000)" }, "\(stored.map { $0["storms"] ?? "" })")
    }

    @Test func theHeldOutFamilysValidationStormsAreRefused() throws {
        for base in ["30000", "29990", "30015"] {
            let result = try TenderProcess.run(["train", "--evaluate", "policies/ppo-default.json", "--eval-storms", "16", "--eval-seed-base", base])
            #expect(result.status != 0, "\(base)")
            #expect(result.stderr.contains("validation storms (seeds 30000–30015)"), "\(base): \(result.stderr)")
        }
    }
}
