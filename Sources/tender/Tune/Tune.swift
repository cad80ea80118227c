import ArgumentParser
import Foundation
import TenderCore
import TenderLearning

/// `tender tune`: a seeded random search over PPO hyperparameters and reward weights. Each trial
/// is a `tender train` child process (so trials run in parallel and one crash loses one trial),
/// scored on validation storms of the training family, which rank them, and evaluated on the
/// held-out family, which is only reported; the best checkpoint is kept.
struct Tune: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Random search over PPO hyperparameters and reward weights, trials run as parallel `tender train` processes.",
        discussion: """
        Trials are drawn from --seed (the same seed replays the same trials). Each trains for --steps \
        decisions, is scored on --validation-storms storms of the training family that no training draws, \
        and evaluated on --eval-storms storms of the held-out family; the leaderboard ranks trials \
        escalating at most 1% of validation incidents by validation mean TTR (the held-out figures are \
        reported beside, never used to choose). Trial checkpoints and logs go to \
        --work-dir (default: beside --out, NAME.tune/); the best is copied to --out under its name.
        """
    )

    @Option(help: "Trials to run.")
    var trials = 8

    @Option(help: "Trials run at once (child processes).")
    var jobs = 2

    @Option(help: "Training decisions per trial.")
    var steps = 200_000

    @Option(help: "Seed of the search (each trial's training seed is drawn from it).")
    var seed: UInt64 = 1

    @Option(help: "Held-out storms each trial is evaluated on (reported, not used to rank).")
    var evalStorms = 4

    @Option(help: "Validation storms of the training family each trial is scored and ranked on.")
    var validationStorms = 8

    @Option(help: "Decisions per PPO update in every trial.")
    var decisionsPerUpdate = 4096

    @Option(help: "Where the best trial's checkpoint is written.")
    var out = "policies/ppo-tuned.json"

    @Option(help: "Directory for the trials' checkpoints and logs.")
    var workDir: String?

    @Option(help: "Directory of specialist profiles.")
    var specialists = "specialists"

    @Flag(help: "Print the leaderboard as JSON.")
    var json = false

    func validate() throws {
        guard trials >= 1 else { throw ValidationError("--trials must be at least 1") }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        guard steps >= 1, decisionsPerUpdate >= 64 else { throw ValidationError("--steps must be positive and --decisions-per-update at least 64") }
        guard evalStorms >= 1 else { throw ValidationError("--eval-storms must be at least 1: every trial reports its held-out evaluation") }
        guard validationStorms >= 1 else { throw ValidationError("--validation-storms must be at least 1: trials are ranked on them") }
        guard out.hasSuffix(".json") else { throw ValidationError("--out must name a .json file, not `\(out)`") }
    }

    func run() throws {
        let directory = URL(fileURLWithPath: workDir ?? String(out.dropLast(".json".count)) + ".tune")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let drawn = TuningSpace.sample(count: trials, seed: seed)
        let common = ["--steps", "\(steps)", "--eval-storms", "\(evalStorms)", "--validation-storms", "\(validationStorms)",
                      "--decisions-per-update", "\(decisionsPerUpdate)",
                      "--specialists", specialists]
        let bar = ProgressBar("tuning", total: Double(trials))
        bar.update(0, detail: "0/\(trials) trials")
        let total = trials
        let runner = TrialRunner(executable: Self.ownExecutable, common: common, directory: directory, trials: drawn) { outcome, done in
            let ttr = outcome.validationMeanTTRSeconds.map { String(format: "%.0f s", $0) } ?? outcome.status
            bar.update(Double(done), detail: "\(done)/\(total) trials, last: trial \(outcome.trial) \(ttr)")
        }
        let ranked = TrialOutcome.ranked(runner.run(jobs: jobs))
        bar.finish()

        guard let best = ranked.first, best.status == "ok" else {
            for outcome in ranked { printError("trial \(outcome.trial): \(outcome.error ?? outcome.status)") }
            printError("every trial failed; logs in \(directory.path)")
            throw ExitCode(1)
        }
        var checkpoint = try PolicyCheckpoint.load(path: best.checkpoint)
        checkpoint.name = ((out as NSString).lastPathComponent as NSString).deletingPathExtension
        // The evaluation rows name the policy; renamed with it so `--evaluate` and the docs agree.
        for index in checkpoint.evaluation.indices where checkpoint.evaluation[index].allocator == "contract-net/trial-\(best.trial)" {
            checkpoint.evaluation[index].allocator = "contract-net/\(checkpoint.name)"
        }
        try checkpoint.write(path: out)

        if json {
            try JSONOutput.print(Leaderboard(seed: seed, steps: steps, evalStorms: evalStorms, validationStorms: validationStorms, out: out, workDir: directory.path,
                                             best: best.trial, trials: ranked))
        } else {
            print(Self.table(ranked))
            print("best: trial \(best.trial), written to \(out) (trial checkpoints and logs in \(directory.path))")
            if !best.eligible { print("note: no trial escalated at most 1% of validation incidents; the best is ranked on validation mean TTR alone") }
        }
    }

    /// The running binary (`/proc/self/exe` on Linux), so children are the same build.
    static var ownExecutable: URL {
        let path = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: path)
    }

    static func table(_ ranked: [TrialOutcome]) -> String {
        let header = zip(["rank", "trial", "lr", "ent", "clip", "ep", "mb", "r_ttr", "r_brch", "r_esc", "r_open", "val TTR", "val esc%",
                          "TTR (s)", "esc %", "crit %", "Jain"],
                         [4, 5, 9, 8, 4, 3, 3, 6, 6, 5, 5, 9, 8, 9, 6, 6, 6])
            .map { name, width in String(repeating: " ", count: max(width - name.count, 0)) + name }
        var lines = [header.joined(separator: " ")]
        for (rank, outcome) in ranked.enumerated() {
            let h = outcome.hyperparameters
            var line = String(format: "%4d %5d %9.2e %8.4f %4.2f %3d %3d %6.2f %6.2f %5.1f %5.1f",
                              rank + 1, outcome.trial, h.learningRate, h.entropyCoefficient, h.clipCoefficient, h.epochs,
                              h.minibatches, h.rewardTTR, h.rewardBreachScale, h.rewardEscalation, h.rewardOpen)
            if let ttr = outcome.meanTTRSeconds, let validation = outcome.validationMeanTTRSeconds {
                line += String(format: " %9.0f %8.2f", validation, 100 * (outcome.validationEscalatedShare ?? .nan))
                line += String(format: " %9.0f %6.2f %6.1f %6.3f", ttr, 100 * (outcome.escalatedShare ?? .nan),
                               100 * (outcome.criticalBreachRate ?? .nan), outcome.jainIndex ?? .nan)
                if !outcome.eligible { line += "  (escalates > 1%)" }
            } else {
                line += "  failed: \(outcome.error ?? "")"
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}

/// `tender tune --json`.
struct Leaderboard: Encodable {
    var seed: UInt64
    var steps: Int
    var evalStorms: Int
    var validationStorms: Int
    var out: String
    var workDir: String
    /// The trial number copied to `out`.
    var best: Int
    /// Every trial, best first.
    var trials: [TrialOutcome]

    enum CodingKeys: String, CodingKey {
        case seed, steps, out, best, trials
        case evalStorms = "eval_storms"
        case validationStorms = "validation_storms"
        case workDir = "work_dir"
    }
}
