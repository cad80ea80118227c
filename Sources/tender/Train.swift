import ArgumentParser
import Foundation
import TenderConfig
import TenderCore
import TenderLearning
import TenderSim

/// `tender train`: PPO for bidding policies on a randomised storm family (or CartPole, the
/// trainer's proof), with a progress bar, learning curves (CSV and HTML) and a checkpoint.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a bidding policy with PPO in the simulator (or solve CartPole with --env cartpole).",
        discussion: """
        Bidding: every eligible bid decision is one step of a shared actor-critic; storms are drawn \
        from the training family built from the four profiles in --specialists, and the result is \
        evaluated on the held-out family against every heuristic and allocator. Writes the \
        checkpoint (--out), NAME.curves.csv and NAME.curves.html beside it.
        """
    )

    @Option(help: "Environment: bidding or cartpole.")
    var env = "bidding"

    @Option(name: .customLong("scenario"), help: "Train on these scenario files (each storm re-seeded) instead of the family; repeatable.")
    var scenarioPaths: [String] = []

    @Option(help: "Storm family to train on (bidding): training.")
    var family = "training"

    @Option(help: "Environment steps (bidding: decisions) to train for.")
    var steps = 1_000_000

    @Option(help: "Random seed; the same seed replays the same training (default 1).")
    var seed: UInt64?

    @Option(help: "Train one policy per seed (comma-separated, e.g. 1,2,3) and keep the best on validation storms (bidding).")
    var seeds: String?

    @Option(help: "With --seeds: training-family storms (seeds 20000…, never drawn in training) the candidates are selected on.")
    var validationStorms = 32

    @Option(help: "With --seeds: held-out-family storms (seeds 30000…, apart from the evaluation's 10000…) the candidates are also selected on (0: none).")
    var validationHoldoutStorms = 16

    @Option(help: "With --seeds: train every seed at each of these fairness-credit weights (comma-separated, e.g. 0,0.05,0.1) and let the validation choose the weight too.")
    var fairnessCredits: String?

    @Option(help: "With --seeds: trainings run at once (threads; each is deterministic whatever the count).")
    var jobs = 1

    @Option(help: "With --seeds: directory for every candidate's checkpoint and curves (default: beside --out, NAME.seeds/).")
    var workDir: String?

    @Option(help: "Checkpoint to write (bidding).")
    var out = "policies/ppo-trained.json"

    @Option(help: "Held-out storms to evaluate on after training (bidding; 0 skips).")
    var evalStorms = 8

    @Option(help: "First seed of the held-out storms evaluated on (default 10000; another base gives storms nobody has looked at).")
    var evalSeedBase: UInt64 = 10_000

    @Option(help: "Only evaluate this checkpoint on the held-out storms and write the results into it (no training).")
    var evaluate: String?

    @Option(help: "Decisions per PPO update (bidding).")
    var decisionsPerUpdate = 4096

    @Option(help: "Adam learning rate at the start (annealed to 0).")
    var learningRate: Double?

    @OptionGroup(title: "PPO hyperparameters and reward weights")
    var hyperparameters: TrainHyperparameterOptions

    @Option(help: "Directory of specialist profiles.")
    var specialists = "specialists"

    @Option(help: "Awards weigh track records while training: on (default, as live) or off (to study what reputation changes).")
    var reputation = "on"

    @Flag(help: "Print the result as JSON.")
    var json = false

    func validate() throws {
        guard ["bidding", "cartpole"].contains(env) else { throw ValidationError("--env must be bidding or cartpole, not `\(env)`") }
        guard family == "training" else { throw ValidationError("--family must be `training` (the held-out family is for evaluation only)") }
        guard steps >= 1, decisionsPerUpdate >= 64 else { throw ValidationError("--steps must be positive and --decisions-per-update at least 64") }
        guard out.hasSuffix(".json") else { throw ValidationError("--out must name a .json file, not `\(out)`") }
        if let learningRate, !(learningRate > 0) { throw ValidationError("--learning-rate must be positive") }
        guard ["on", "off"].contains(reputation) else { throw ValidationError("--reputation must be on or off, not `\(reputation)`") }
        if seeds != nil {
            _ = try trainingSeeds()
            guard seed == nil else { throw ValidationError("--seed and --seeds exclude each other: --seeds lists every training seed") }
            guard env == "bidding", evaluate == nil else { throw ValidationError("--seeds trains bidding policies; it cannot be combined with --env cartpole or --evaluate") }
        }
        guard validationStorms >= 1 else { throw ValidationError("--validation-storms must be at least 1") }
        guard validationHoldoutStorms >= 0 else { throw ValidationError("--validation-holdout-storms must be at least 0") }
        let validation = SeedSelection.ValidationSet.holdout(count: validationHoldoutStorms).seeds
        if let first = validation.first, let last = validation.last, evalStorms > 0,
           evalSeedBase <= last, evalSeedBase &+ UInt64(evalStorms) > first {
            throw ValidationError("--eval-seed-base \(evalSeedBase) would evaluate on the held-out family's validation storms (seeds \(first)–\(last)); choose a base outside them")
        }
        if fairnessCredits != nil {
            guard seeds != nil else { throw ValidationError("--fairness-credits compares candidates: it needs --seeds") }
            guard hyperparameters.rewardFairnessCredit == nil else {
                throw ValidationError("--fairness-credits and --reward-fairness-credit exclude each other: --fairness-credits lists every weight")
            }
            _ = try fairnessCreditGrid()
        }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
    }

    /// `--seeds` parsed: distinct unsigned integers, at least one.
    func trainingSeeds() throws -> [UInt64] {
        guard let seeds else { return [seed ?? 1] }
        let parts = seeds.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        var parsed: [UInt64] = []
        for part in parts {
            guard let value = UInt64(part) else { throw ValidationError("--seeds must list unsigned integers separated by commas, e.g. 1,2,3; `\(part)` is not one") }
            guard !parsed.contains(value) else { throw ValidationError("--seeds lists seed \(value) twice") }
            parsed.append(value)
        }
        return parsed
    }

    func run() throws {
        if let evaluate { return try reevaluate(evaluate) }
        if env == "cartpole" { return try runCartPole() }
        seeds == nil ? try runBidding() : try runSeeds()
    }

    private func reevaluate(_ path: String) throws {
        var checkpoint = try PolicyCheckpoint.load(path: path)
        let profiles = try StormFamily.loadProfiles(directory: specialists)
        let evaluation = try Self.evaluation(of: checkpoint, profiles: profiles, storms: evalStorms, seedBase: evalSeedBase)
        checkpoint.evaluation = evaluation.rows
        try checkpoint.write(path: path)
        try report(checkpoint, escalations: evaluation.escalations, wrote: "re-evaluated \(path)")
    }

    /// The checkpoint against every heuristic and allocator on the held-out family, all with
    /// reputation on (as live); then, to show where gains come from, the checkpoint with
    /// reputation off and a pool of optimists (every bid 0.3× the honest ETA) with and without it.
    static func evaluation(of checkpoint: PolicyCheckpoint, profiles: [SpecialistProfile], storms: Int, seedBase: UInt64 = 10_000) throws
        -> (rows: [PolicyCheckpoint.EvaluationRow], escalations: [String: EscalationBreakdown]) {
        let learned = try LearnedBiddingPolicy(checkpoint: checkpoint)
        var contenders = [BiddingEvaluation.Contender(label: "contract-net/\(checkpoint.name)", policy: learned)]
        for heuristic in HeuristicPolicies.names {
            contenders.append(.init(label: "contract-net/\(heuristic)", policy: HeuristicPolicies.named(heuristic)))
        }
        for allocator in AllocatorNames.all where allocator != "contract-net" { contenders.append(.init(label: allocator, allocator: allocator)) }
        let optimist = HonestETAPolicy(bidMultiplier: 0.3)
        contenders.append(.init(label: "contract-net/optimist-0.3", policy: optimist))
        contenders.append(.init(label: "contract-net/optimist-0.3 (reputation off)", policy: optimist, reputation: false))
        contenders.append(.init(label: "contract-net/\(checkpoint.name) (reputation off)", policy: learned, reputation: false))
        let bar = ProgressBar("evaluating on held-out storms", total: 1)
        defer { bar.finish() }
        let seeds = (0..<UInt64(storms)).map { seedBase + $0 }
        let results = try BiddingEvaluation.runWithEscalations(
            family: StormFamily(kind: .holdout, profiles: profiles), seeds: seeds, contenders: contenders
        ) { bar.update($0) }
        // Why each contender escalated (not kept in the checkpoint): printed beside the table
        // and in the JSON by the report.
        var escalations: [String: EscalationBreakdown] = [:]
        for (row, breakdown) in results { escalations[row.allocator] = breakdown }
        return (results.map(\.row), escalations)
    }

    private func runCartPole() throws {
        var config = PPOConfig()
        config.seed = seed ?? 1
        config.totalSteps = steps
        if let learningRate { config.learningRate = learningRate }
        let bar = ProgressBar("training cartpole", total: Double(config.iterations))
        let result = try CartPoleProof.run(config: config) {
            bar.update(Double($0.iteration), detail: String(format: "return %.0f  sps %.0f", $0.recentReturn, $0.stepsPerSecond))
        }
        bar.finish()
        try LearningCurves.write(base: "cartpole-\(config.seed)", header: IterationStats.csvHeader, rows: result.history.map(\.csvRow),
                                 plot: ["recent_return_100", "entropy", "approx_kl", "explained_variance"])
        if json {
            try JSONOutput.print(JSONValue.object([
                ("solved", .bool(result.solved)), ("steps", .integer(result.steps)), ("wall_s", .number(result.wallSeconds)),
                ("evaluation_mean_return_100", .number(result.evaluationMean)), ("steps_per_s", .number(result.stepsPerSecond.rounded())),
            ]))
        } else {
            print(String(format: "CartPole-v1 %@ after %d steps in %.1f s: mean return %.1f over 100 evaluation episodes (%.0f steps/s)",
                         result.solved ? "solved" : "NOT solved", result.steps, result.wallSeconds, result.evaluationMean, result.stepsPerSecond))
        }
        if !result.solved { throw ExitCode(1) }
    }

    private func runBidding() throws {
        let started = DispatchTime.now().uptimeNanoseconds
        let profiles = try StormFamily.loadProfiles(directory: specialists)
        let base = String(out.dropLast(".json".count))
        let bar = ProgressBar("training", total: 1)
        var checkpoint = try trainBidding(seed: seed ?? 1, base: base, name: Self.name(of: out), profiles: profiles) { iteration, total, detail in
            bar.update(Double(iteration) / Double(total), detail: detail)
            if !Terminal.isInteractive, !json, iteration % 10 == 0 { printError("iteration \(iteration)/\(total): \(detail)") }
        }
        bar.finish()
        checkpoint.training.wallSeconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        var escalations: [String: EscalationBreakdown] = [:]
        if evalStorms > 0 { (checkpoint.evaluation, escalations) = try Self.evaluation(of: checkpoint, profiles: profiles, storms: evalStorms, seedBase: evalSeedBase) }
        try checkpoint.write(path: out)
        try report(checkpoint, escalations: escalations, wrote: "wrote \(out) (\(checkpoint.training.steps) decisions, \(String(format: "%.0f", checkpoint.training.wallSeconds)) s), curves \(base).curves.csv/.html")
    }

    static func name(of path: String) -> String { ((path as NSString).lastPathComponent as NSString).deletingPathExtension }

    /// One PPO training on the training family (or --scenario files) with this command's
    /// hyperparameters: writes `base.curves.csv/.html` and returns the checkpoint, not yet
    /// evaluated. `progress` gets the iteration, the total and a line of live figures.
    func trainBidding(seed: UInt64, fairnessCredit: Double? = nil, base: String, name: String, profiles: [SpecialistProfile],
                      progress: (Int, Int, String) -> Void) throws -> PolicyCheckpoint {
        let started = DispatchTime.now().uptimeNanoseconds
        var config = PPOConfig()
        config.seed = seed
        config.environments = 1
        config.stepsPerRollout = decisionsPerUpdate
        config.minibatches = 8
        config.learningRate = learningRate ?? 3e-4
        config.normaliseObservations = true
        config.totalSteps = steps
        hyperparameters.apply(to: &config)
        var fixed: [(scenario: Scenario, description: String)] = []
        for path in scenarioPaths {
            do {
                // Loaded first so a missing or bad file gets the loader's file:line message.
                let scenario = try ScenarioLoader.load(path: path)
                fixed.append((scenario, "\(path)\n\(try String(contentsOfFile: path, encoding: .utf8))"))
            } catch {
                printError(ConfigValidator.messages(error).joined(separator: "\n"))
                throw ExitCode(2)
            }
        }
        var weights = hyperparameters.weights
        if let fairnessCredit { weights.fairnessCredit = fairnessCredit }
        let trainer = try BiddingTrainer(
            config: config, weights: weights, family: StormFamily(kind: .training, profiles: profiles), scenarios: fixed,
            reputation: reputation == "on"
        )
        var rows: [String] = []
        while trainer.iteration < trainer.config.iterations {
            let stats = try trainer.iterate()
            rows.append(stats.csvRow)
            progress(stats.ppo.iteration, trainer.config.iterations, String(
                format: "reward %.2f  TTR %.0fs  SLA breach %.1f%%  esc %.2f%%  %.0f dec/s",
                stats.meanReward, stats.meanTTR, 100 * stats.slaBreachRate, 100 * stats.escalatedShare, stats.ppo.stepsPerSecond
            ))
        }
        try LearningCurves.write(base: base, header: BiddingIterationStats.csvHeader, rows: rows,
                                 plot: ["mean_reward", "mean_ttr_s", "sla_breach_rate", "entropy", "approx_kl", "explained_variance"])
        let trainingSeconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        return trainer.checkpoint(name: name, command: CommandLine.arguments.joined(separator: " "), wallSeconds: trainingSeconds, evaluation: [])
    }
}

/// Learning curves: the CSV, and a self-contained HTML page of inline SVG line charts.
enum LearningCurves {
    static func write(base: String, header: String, rows: [String], plot: [String]) throws {
        try ([header] + rows).joined(separator: "\n").appending("\n").write(toFile: "\(base).curves.csv", atomically: true, encoding: .utf8)
        let columns = header.split(separator: ",").map(String.init)
        let table = rows.map { $0.split(separator: ",").map { Double($0) ?? .nan } }
        var charts = ""
        for name in plot {
            guard let column = columns.firstIndex(of: name) else { continue }
            let values = table.map { $0.count > column ? $0[column] : .nan }
            charts += svg(title: name, values: values)
        }
        let html = """
        <!doctype html><html><head><meta charset="utf-8"><title>\(base) learning curves</title>
        <style>body{font-family:sans-serif;margin:2em}svg{margin:1em;border:1px solid #ccc}</style></head>
        <body><h1>Learning curves: \((base as NSString).lastPathComponent)</h1><p>One point per PPO iteration; x is the iteration.</p>
        \(charts)</body></html>
        """
        try html.write(toFile: "\(base).curves.html", atomically: true, encoding: .utf8)
    }

    private static func svg(title: String, values: [Double]) -> String {
        let finite = values.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max() else { return "<p>\(title): no data</p>" }
        let (width, height) = (480.0, 200.0)
        let span = high - low == 0 ? 1 : high - low
        let points = values.enumerated().compactMap { index, value -> String? in
            guard value.isFinite else { return nil }
            let x = 40 + (width - 50) * Double(index) / Double(max(values.count - 1, 1))
            let y = height - 20 - (height - 40) * (value - low) / span
            return String(format: "%.1f,%.1f", x, y)
        }.joined(separator: " ")
        return """
        <svg width="\(Int(width))" height="\(Int(height))" xmlns="http://www.w3.org/2000/svg">
        <text x="10" y="14" font-size="13">\(title)</text>
        <text x="2" y="30" font-size="10">\(String(format: "%.3g", high))</text><text x="2" y="\(Int(height) - 22)" font-size="10">\(String(format: "%.3g", low))</text>
        <polyline fill="none" stroke="#1f77b4" stroke-width="1.5" points="\(points)"/></svg>
        """
    }
}

/// `tender validate` for trained checkpoints: `.json` files named directly or found in a
/// directory are loaded and checked as `PolicyCheckpoint`s.
enum CheckpointValidation {
    static func validate(paths: [String]) -> [ValidationResult] {
        paths.flatMap { path -> [ValidationResult] in
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                let files = (FileManager.default.enumerator(atPath: path)?.allObjects as? [String] ?? [])
                    .filter { $0.hasSuffix(".json") && !$0.contains("/") }.sorted()
                return files.map { check((path as NSString).appendingPathComponent($0)) }
            }
            return path.hasSuffix(".json") ? [check(path)] : []
        }
    }

    static func check(_ file: String) -> ValidationResult {
        do {
            let checkpoint = try PolicyCheckpoint.load(path: file)
            let shape = ([checkpoint.architecture.inputs] + checkpoint.architecture.hidden + [checkpoint.architecture.outputs]).map(String.init).joined(separator: "-")
            return ValidationResult(
                file: file, kind: "checkpoint",
                summary: "PPO checkpoint `\(checkpoint.name)` v\(checkpoint.version), \(shape) \(checkpoint.architecture.activation) actor, "
                    + "\(checkpoint.training.steps) decisions on \(checkpoint.training.scenarios.count) storms, \(checkpoint.evaluation.count) evaluation rows",
                errors: []
            )
        } catch {
            return ValidationResult(file: file, kind: "checkpoint", errors: ["\(error)"])
        }
    }
}
