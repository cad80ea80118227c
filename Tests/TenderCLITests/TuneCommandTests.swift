import Foundation
import Testing

/// `tender tune` with a tiny budget: the leaderboard's shape, the best checkpoint, and failures.
@Suite struct TuneCommandTests {
    static func scratch() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tender-tune-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    static let tiny = ["--trials", "2", "--jobs", "2", "--steps", "200", "--decisions-per-update", "64", "--eval-storms", "1", "--validation-storms", "1"]

    @Test func leaderboardRanksTrialsAndKeepsAValidBestCheckpoint() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("tuned.json").path
        let result = try TenderProcess.run(["tune"] + Self.tiny + ["--seed", "5", "--out", out, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty, "no progress when stderr is not a terminal")
        let board = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(board["out"] as? String == out)
        let trials = try #require(board["trials"] as? [[String: Any]])
        #expect(trials.count == 2)
        #expect(Set(trials.compactMap { $0["trial"] as? Int }) == [1, 2])
        for trial in trials {
            #expect(trial["status"] as? String == "ok", "\(trial["error"] ?? "")")
            for key in ["seed", "mean_ttr_s", "mean_ttr_ci95_s", "escalated_share", "critical_breach_rate", "open_share", "checkpoint", "wall_s", "ttr_lower_bound_s",
                        "validation_mean_ttr_s", "validation_escalated_share", "validation_jain_index"] {
                #expect(trial[key] != nil, "missing \(key)")
            }
            let hyperparameters = try #require(trial["hyperparameters"] as? [String: Any])
            #expect(Set(hyperparameters.keys) == ["learning_rate", "entropy_coefficient", "clip_coefficient", "epochs", "minibatches",
                                                  "gamma", "gae_lambda", "reward_ttr", "reward_breach_scale", "reward_escalation",
                                                  "reward_open", "reward_fairness"])
        }
        // Best first: the first row is the trial named best, and its validation TTR is no worse
        // than the next when both are eligible (escalating at most 1% of validation incidents).
        // The held-out figures never decide.
        #expect(board["best"] as? Int == trials[0]["trial"] as? Int)
        #expect(board["validation_storms"] as? Int == 1)
        let shares = trials.map { $0["validation_escalated_share"] as? Double ?? 1 }
        if shares.allSatisfy({ $0 <= 0.01 }) {
            #expect((trials[0]["validation_mean_ttr_s"] as? Double ?? .infinity) <= (trials[1]["validation_mean_ttr_s"] as? Double ?? .infinity))
        }

        let validated = try TenderProcess.run(["validate", out])
        #expect(validated.status == 0, "\(validated.stdout)\(validated.stderr)")
        let checkpoint = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
        #expect(checkpoint["name"] as? String == "tuned")
        let rows = try #require(checkpoint["evaluation"] as? [[String: Any]])
        #expect(rows.contains { $0["allocator"] as? String == "contract-net/tuned" })
    }

    @Test func theSameSeedDrawsTheSameTrials() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        func draw(_ name: String) throws -> [[String: Double]] {
            let result = try TenderProcess.run(["tune", "--trials", "2", "--jobs", "1", "--steps", "64", "--decisions-per-update", "64",
                                                "--eval-storms", "1", "--validation-storms", "1", "--seed", "9", "--out", directory.appendingPathComponent(name).path, "--json"])
            #expect(result.status == 0, "\(result.stderr)")
            let board = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            let trials = try #require(board["trials"] as? [[String: Any]]).sorted { ($0["trial"] as? Int ?? 0) < ($1["trial"] as? Int ?? 0) }
            return trials.compactMap { $0["hyperparameters"] as? [String: Double] }
        }
        let first = try draw("a.json")
        #expect(first.count == 2)
        #expect(first == (try draw("b.json")))
        #expect(first[0] != first[1])
    }

    @Test func failedTrialsAreReportedAndTheRunFails() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try TenderProcess.run(["tune"] + Self.tiny + ["--specialists", directory.appendingPathComponent("missing").path,
                                                                    "--out", directory.appendingPathComponent("x.json").path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("every trial failed"), "\(result.stderr)")
        #expect(result.stderr.contains("trial 1:") && result.stderr.contains("exited with status"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("x.json").path))
    }

    @Test func badArgumentsAreRefused() throws {
        for arguments in [["--trials", "0"], ["--jobs", "0"], ["--eval-storms", "0"], ["--validation-storms", "0"], ["--out", "x.yaml"]] {
            let result = try TenderProcess.run(["tune"] + arguments)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.stderr.contains("must"), "\(arguments): \(result.stderr)")
        }
    }
}
