import Foundation
import Testing

/// `tender train --seeds`: a tiny multi-seed run records every candidate and the kept one, and
/// bad arguments are refused with what was expected.
@Suite struct TrainSeedsCommandTests {
    @Test func aTinyMultiSeedRunRecordsItsCandidatesAndKeepsOne() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tender-seeds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("picked.json").path
        let result = try TenderProcess.run(["train", "--steps", "128", "--decisions-per-update", "64", "--seeds", "4,5", "--jobs", "2",
                                            "--fairness-credits", "0,0.1", "--validation-storms", "2", "--validation-holdout-storms", "1",
                                            "--eval-storms", "1", "--out", out, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let checkpoint = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
        let selection = try #require(checkpoint["selection"] as? [String: Any])
        let candidates = try #require(selection["candidates"] as? [[String: Any]])
        // Every seed at every weight, weight by weight.
        #expect(candidates.compactMap { $0["seed"] as? Int } == [4, 5, 4, 5])
        #expect(candidates.compactMap { $0["fairness_credit"] as? Double } == [0, 0, 0.1, 0.1])
        let kept = try #require(selection["kept_seed"] as? Int)
        #expect([4, 5].contains(kept))
        let keptCredit = try #require(selection["kept_fairness_credit"] as? Double)
        // The kept candidate was trained with its weight (the reward record says so).
        let reward = try #require((checkpoint["hyperparameters"] as? [String: Any])?["reward"] as? String)
        let weights = try #require(try JSONSerialization.jsonObject(with: Data(reward.utf8)) as? [String: Any])
        #expect(weights["fairness_credit"] as? Double == keptCredit)
        // Selected on the held-out family's validation storms too, apart from the evaluation's.
        #expect((selection["holdout_validation"] as? String)?.hasPrefix("holdout ×1 (seeds 30000") == true)
        #expect((selection["holdout_honest"] as? [String: Any])?["allocator"] as? String == "contract-net/honest")
        #expect((selection["holdout_jain_floor"] as? Double ?? 1) <= 0.9)
        let honest = try #require(selection["honest"] as? [String: Any])
        #expect(honest["allocator"] as? String == "contract-net/honest")
        #expect((selection["jain_floor"] as? Double ?? 1) <= 0.9)
        #expect((checkpoint["training"] as? [String: Any])?["seed"] as? Int == kept)
        for candidate in candidates {
            let validation = try #require(candidate["validation"] as? [String: Any])
            #expect((validation["storms"] as? String)?.hasPrefix("validation: training") == true)
            #expect(validation["mean_ttr"] is Double && candidate["meets_constraints"] is Bool)
            let holdout = try #require(candidate["holdout_validation"] as? [String: Any])
            #expect((holdout["storms"] as? String)?.hasPrefix("validation: holdout") == true)
        }
        // The held-out evaluation is of the kept policy, under the checkpoint's name.
        let rows = try #require(checkpoint["evaluation"] as? [[String: Any]])
        #expect(rows.contains { $0["allocator"] as? String == "contract-net/picked" })
        for suffix in ["curves.csv", "curves.html"] {
            #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("picked.\(suffix)").path))
        }
        let other = "seed-\(kept == 4 ? 5 : 4)-credit-\(keptCredit == 0 ? "0.1" : "0")"
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("picked.seeds/\(other).json").path))
        // --json prints every evaluation row with why it escalated: by reason, and the
        // no_capable_specialist split (whole counts, snake_case keys).
        let printed = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(printed.count == rows.count)
        for row in printed {
            // Figures are numbers (null where a row has none), not strings.
            #expect(row["mean_ttr_s"] is Double && row["escalated_share"] is Double, "\(row)")
            #expect(row["calibration"] is Double || row["calibration"] is NSNull, "\(row)")
            let escalations = try #require(row["escalations"] as? [String: Any], "\(row)")
            #expect(escalations["by_reason"] is [String: Int])
            #expect(escalations["resolved_past_sla_risk_point"] is Int)
            let split = try #require(escalations["no_capable_specialist"] as? [String: Int])
            #expect(split.keys.sorted() == ["nobody_present_declined_before", "nobody_present_never_declined", "present_declined", "present_never_declined"])
            let reasons = escalations["by_reason"] as? [String: Int] ?? [:]
            #expect(split.values.reduce(0, +) == reasons["no_capable_specialist", default: 0])
        }
    }

    /// `--reward-declined-escalation` is checked like every reward weight.
    @Test func aNegativeDeclinedEscalationPenaltyIsRefused() throws {
        let result = try TenderProcess.run(["train", "--reward-declined-escalation=-1"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--reward-declined-escalation must be a finite number ≥ 0"), "\(result.stderr)")
    }

    @Test func badSeedArgumentsAreRefused() throws {
        let cases: [([String], String)] = [
            (["--seeds", "1,x"], "unsigned integers"), (["--seeds", "1,,2"], "unsigned integers"), (["--seeds", "2,2"], "twice"),
            (["--seeds", "1,2", "--seed", "3"], "exclude each other"), (["--seeds", "1,2", "--env", "cartpole"], "--seeds trains bidding"),
            (["--seeds", "1,2", "--validation-storms", "0"], "--validation-storms must"), (["--jobs", "0"], "--jobs must"),
            (["--seeds", "1", "--validation-holdout-storms=-1"], "--validation-holdout-storms must"),
            (["--fairness-credits", "0,0.1"], "needs --seeds"), (["--seeds", "1", "--fairness-credits", "0,x"], "non-negative numbers"),
            (["--seeds", "1", "--fairness-credits=0,-0.1"], "non-negative numbers"), (["--seeds", "1", "--fairness-credits", "0.1,0.1"], "twice"),
            (["--seeds", "1", "--fairness-credits", "0,0.1", "--reward-fairness-credit", "0.1"], "exclude each other"),
        ]
        for (arguments, message) in cases {
            let result = try TenderProcess.run(["train"] + arguments)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
    }
}
