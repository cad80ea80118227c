import ArgumentParser
import Foundation
import TenderCore
import TenderLearning

/// `tender train --seeds 1,2,3 [--fairness-credits 0,0.05,0.1]`: the same recipe trained once
/// per seed (and weight), in `--jobs` threads; each candidate is scored on validation storms of
/// the training family that no training drew and of the held-out family apart from the storms
/// the evaluation reports, and the one `SeedSelection` chooses is written to `--out` with every
/// candidate's score. Only the kept policy is then evaluated on the held-out storms, so
/// selection never sees them.
extension Train {
    /// One candidate recipe: a training seed, and a fairness-credit weight when several are compared.
    struct CandidateRecipe {
        var seed: UInt64
        var fairnessCredit: Double?

        var label: String { fairnessCredit.map { "seed \(seed) credit \(Self.format($0))" } ?? "seed \(seed)" }
        var file: String { fairnessCredit.map { "seed-\(seed)-credit-\(Self.format($0))" } ?? "seed-\(seed)" }

        static func format(_ value: Double) -> String { String(format: "%g", value) }
    }

    func runSeeds() throws {
        let started = DispatchTime.now().uptimeNanoseconds
        let credits = try fairnessCreditGrid()
        let seeds = try trainingSeeds()
        let recipes = credits.flatMap { credit in seeds.map { CandidateRecipe(seed: $0, fairnessCredit: credit) } }
        let profiles = try StormFamily.loadProfiles(directory: specialists)
        let name = Self.name(of: out)
        let base = String(out.dropLast(".json".count))
        let directory = workDir ?? base + ".seeds"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)

        var sets = [SeedSelection.ValidationSet.training(count: validationStorms)]
        if validationHoldoutStorms > 0 { sets.append(.holdout(count: validationHoldoutStorms)) }
        func validate(_ contender: BiddingEvaluation.Contender) throws -> [PolicyCheckpoint.EvaluationRow] {
            try sets.map { set in
                var row = try BiddingEvaluation.run(family: StormFamily(kind: set.kind, profiles: profiles), seeds: set.seeds, contenders: [contender])[0]
                row.storms = "validation: " + row.storms
                return row
            }
        }

        let progress = SeedProgress(labels: recipes.map(\.label), quiet: json)
        let results = SeedResults(count: recipes.count)
        DispatchQueue.concurrentPerform(iterations: min(jobs, recipes.count)) { _ in
            while let index = results.claim() {
                let recipe = recipes[index]
                do {
                    let candidateBase = "\(directory)/\(recipe.file)"
                    let checkpoint = try trainBidding(seed: recipe.seed, fairnessCredit: recipe.fairnessCredit, base: candidateBase, name: name,
                                                      profiles: profiles) { iteration, total, detail in
                        progress.update(index: index, iteration: iteration, total: total, detail: detail)
                    }
                    try checkpoint.write(path: candidateBase + ".json")
                    let policy = try LearnedBiddingPolicy(checkpoint: checkpoint)
                    let rows = try validate(.init(label: "contract-net/\(name) \(recipe.label)", policy: policy))
                    progress.finished(label: recipe.label, rows: rows)
                    results.store(index, .success((checkpoint, rows)))
                } catch {
                    results.store(index, .failure(error))
                }
            }
        }
        progress.finish()

        var candidates: [(checkpoint: PolicyCheckpoint, rows: [PolicyCheckpoint.EvaluationRow])] = []
        for (index, result) in results.all.enumerated() {
            switch result {
            case .success(let candidate): candidates.append(candidate)
            case .failure(let error):
                printError("training \(recipes[index].label) failed: \(error)")
                throw ExitCode(1)
            case nil:
                printError("training \(recipes[index].label) did not run")
                throw ExitCode(1)
            }
        }
        let honest = try validate(.init(label: "contract-net/honest", policy: HeuristicPolicies.named("honest")))
        let floors = honest.map { SeedSelection.jainFloor(honest: $0.jainIndex) }
        guard let kept = SeedSelection.choose(candidates.map(\.rows), jainFloors: floors) else { throw ExitCode(1) }
        var checkpoint = candidates[kept].checkpoint
        var selection = PolicyCheckpoint.Selection(
            validation: sets[0].description, rule: SeedSelection.rule, honest: honest[0], jainFloor: floors[0],
            keptSeed: recipes[kept].seed, keptMeetsConstraints: SeedSelection.meetsConstraints(candidates[kept].rows, jainFloors: floors),
            candidates: candidates.enumerated().map { index, candidate in
                var record = PolicyCheckpoint.Candidate(
                    seed: recipes[index].seed, validation: candidate.rows[0],
                    meetsConstraints: SeedSelection.meetsConstraints(candidate.rows, jainFloors: floors),
                    trainingWallSeconds: candidate.checkpoint.training.wallSeconds
                )
                record.fairnessCredit = recipes[index].fairnessCredit
                record.holdoutValidation = candidate.rows.count > 1 ? candidate.rows[1] : nil
                return record
            }
        )
        selection.keptFairnessCredit = recipes[kept].fairnessCredit
        if sets.count > 1 {
            selection.holdoutValidation = sets[1].description
            selection.holdoutHonest = honest[1]
            selection.holdoutJainFloor = floors[1]
        }
        checkpoint.selection = selection
        // The kept candidate's curves become the checkpoint's own.
        for suffix in [".curves.csv", ".curves.html"] {
            try? FileManager.default.removeItem(atPath: base + suffix)
            try FileManager.default.copyItem(atPath: "\(directory)/\(recipes[kept].file)\(suffix)", toPath: base + suffix)
        }
        var escalations: [String: EscalationBreakdown] = [:]
        if evalStorms > 0 { (checkpoint.evaluation, escalations) = try Self.evaluation(of: checkpoint, profiles: profiles, storms: evalStorms, seedBase: evalSeedBase) }
        let wall = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        checkpoint.training.command = CommandLine.arguments.joined(separator: " ")
        try checkpoint.write(path: out)
        if !json {
            for (set, index) in zip(sets, sets.indices) {
                print("validation on \(set.description), Jain floor \(String(format: "%.3f", floors[index])):")
                print("  " + Self.validationLine("honest", honest[index]))
                for (candidate, recipe) in zip(candidates, recipes) {
                    var line = "  " + Self.validationLine(recipe.label, candidate.rows[index])
                    if index == sets.count - 1 {
                        if !SeedSelection.meetsConstraints(candidate.rows, jainFloors: floors) { line += "  (outside constraints)" }
                        if recipe.file == recipes[kept].file { line += "  ← kept" }
                    }
                    print(line)
                }
            }
        }
        try report(checkpoint, escalations: escalations, wrote: "wrote \(out) (\(recipes[kept].label) of \(recipes.count) candidates, "
            + "\(String(format: "%.0f", wall)) s in all), curves \(base).curves.csv/.html, candidates in \(directory)")
    }

    /// `--fairness-credits` parsed (distinct non-negative numbers), or `[nil]` for the command's one weight.
    func fairnessCreditGrid() throws -> [Double?] {
        guard let fairnessCredits else { return [nil] }
        var parsed: [Double] = []
        for part in fairnessCredits.split(separator: ",", omittingEmptySubsequences: false).map({ $0.trimmingCharacters(in: .whitespaces) }) {
            guard let value = Double(part), value >= 0, value.isFinite else {
                throw ValidationError("--fairness-credits must list non-negative numbers separated by commas, e.g. 0,0.05,0.1; `\(part)` is not one")
            }
            guard !parsed.contains(value) else { throw ValidationError("--fairness-credits lists \(part) twice") }
            parsed.append(value)
        }
        return parsed
    }

    static func validationLine(_ label: String, _ row: PolicyCheckpoint.EvaluationRow) -> String {
        String(format: "%-22@ TTR %6.0f ± %5.0f s  escalated %5.2f%% (live %5.2f%%)  critical breaches %5.1f%%  open at end %5.1f%%  Jain %.3f",
               label, row.meanTTR, row.meanTTRConfidence95, 100 * row.escalatedShare, 100 * row.liveEscalatedShare, 100 * row.criticalBreachRate,
               100 * row.openShare, row.jainIndex ?? .nan)
    }
}

/// Results of the candidate trainings, filled from worker threads.
private final class SeedResults: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private var results: [Result<(PolicyCheckpoint, [PolicyCheckpoint.EvaluationRow]), any Error>?]

    init(count: Int) { results = Array(repeating: nil, count: count) }

    func claim() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next < results.count else { return nil }
        next += 1
        return next - 1
    }

    func store(_ index: Int, _ result: Result<(PolicyCheckpoint, [PolicyCheckpoint.EvaluationRow]), any Error>) {
        lock.lock()
        results[index] = result
        lock.unlock()
    }

    var all: [Result<(PolicyCheckpoint, [PolicyCheckpoint.EvaluationRow]), any Error>?] {
        lock.lock()
        defer { lock.unlock() }
        return results
    }
}

/// One progress bar over every candidate's iterations (a line per ten iterations when piped).
private final class SeedProgress: @unchecked Sendable {
    private let lock = NSLock()
    private let labels: [String]
    private let quiet: Bool
    private var done: [Int]
    private var bar: ProgressBar?

    init(labels: [String], quiet: Bool) {
        self.labels = labels
        self.quiet = quiet
        done = Array(repeating: 0, count: labels.count)
    }

    func update(index: Int, iteration: Int, total: Int, detail: String) {
        lock.lock()
        defer { lock.unlock() }
        done[index] = iteration
        if bar == nil { bar = ProgressBar("training \(labels.count) candidates", total: Double(total * labels.count)) }
        bar?.update(Double(done.reduce(0, +)), detail: "\(labels[index]): \(detail)")
        if !Terminal.isInteractive, !quiet, iteration % 10 == 0 { printError("\(labels[index]) iteration \(iteration)/\(total): \(detail)") }
    }

    func finished(label: String, rows: [PolicyCheckpoint.EvaluationRow]) {
        guard !Terminal.isInteractive, !quiet else { return }
        lock.lock()
        defer { lock.unlock() }
        let figures = rows.map { row in
            String(format: "%@ TTR %.0f s, escalated %.2f%% (live %.2f%%), Jain %.3f", row.storms, row.meanTTR,
                   100 * row.escalatedShare, 100 * row.liveEscalatedShare, row.jainIndex ?? .nan)
        }
        printError("\(label) " + figures.joined(separator: "; "))
    }

    func finish() {
        lock.lock()
        defer { lock.unlock() }
        bar?.finish()
    }
}
