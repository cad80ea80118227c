import ArgumentParser
import Foundation
import TenderCore
import TenderLearning

/// `tender train --seeds 1,2,3`: the same recipe trained once per seed (in `--jobs` threads),
/// each candidate scored on validation storms of the training family that no training drew,
/// and the one `SeedSelection` chooses written to `--out` with every candidate's score. Only
/// the kept policy is then evaluated on the held-out family, so selection never sees it.
extension Train {
    func runSeeds() throws {
        let started = DispatchTime.now().uptimeNanoseconds
        let seeds = try trainingSeeds()
        let profiles = try StormFamily.loadProfiles(directory: specialists)
        let name = Self.name(of: out)
        let base = String(out.dropLast(".json".count))
        let directory = workDir ?? base + ".seeds"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)

        let progress = SeedProgress(seeds: seeds, quiet: json)
        let results = SeedResults(count: seeds.count)
        let validationSeeds = SeedSelection.validationSeeds(count: validationStorms)
        let family = StormFamily(kind: .training, profiles: profiles)
        DispatchQueue.concurrentPerform(iterations: min(jobs, seeds.count)) { _ in
            while let index = results.claim() {
                let seed = seeds[index]
                do {
                    let candidateBase = "\(directory)/seed-\(seed)"
                    let checkpoint = try trainBidding(seed: seed, base: candidateBase, name: name, profiles: profiles) { iteration, total, detail in
                        progress.update(index: index, iteration: iteration, total: total, detail: detail)
                    }
                    try checkpoint.write(path: candidateBase + ".json")
                    let policy = try LearnedBiddingPolicy(checkpoint: checkpoint)
                    var row = try BiddingEvaluation.run(
                        family: family, seeds: validationSeeds, contenders: [.init(label: "contract-net/\(name) seed \(seed)", policy: policy)]
                    )[0]
                    row.storms = "validation: " + row.storms
                    progress.finished(seed: seed, row: row)
                    results.store(index, .success((checkpoint, row)))
                } catch {
                    results.store(index, .failure(error))
                }
            }
        }
        progress.finish()

        var candidates: [(checkpoint: PolicyCheckpoint, row: PolicyCheckpoint.EvaluationRow)] = []
        for (index, result) in results.all.enumerated() {
            switch result {
            case .success(let candidate): candidates.append(candidate)
            case .failure(let error):
                printError("training seed \(seeds[index]) failed: \(error)")
                throw ExitCode(1)
            case nil:
                printError("training seed \(seeds[index]) did not run")
                throw ExitCode(1)
            }
        }
        let rows = candidates.map(\.row)
        var honest = try BiddingEvaluation.run(
            family: family, seeds: validationSeeds, contenders: [.init(label: "contract-net/honest", policy: HeuristicPolicies.named("honest"))]
        )[0]
        honest.storms = "validation: " + honest.storms
        let floor = SeedSelection.jainFloor(honest: honest.jainIndex)
        guard let kept = SeedSelection.choose(rows, jainFloor: floor) else { throw ExitCode(1) }
        var checkpoint = candidates[kept].checkpoint
        checkpoint.selection = PolicyCheckpoint.Selection(
            validation: SeedSelection.describeValidation(count: validationStorms), rule: SeedSelection.rule, honest: honest, jainFloor: floor,
            keptSeed: seeds[kept], keptMeetsConstraints: SeedSelection.meetsConstraints(rows[kept], jainFloor: floor),
            candidates: candidates.enumerated().map { index, candidate in
                .init(seed: seeds[index], validation: candidate.row, meetsConstraints: SeedSelection.meetsConstraints(candidate.row, jainFloor: floor),
                      trainingWallSeconds: candidate.checkpoint.training.wallSeconds)
            }
        )
        // The kept candidate's curves become the checkpoint's own.
        for suffix in [".curves.csv", ".curves.html"] {
            try? FileManager.default.removeItem(atPath: base + suffix)
            try FileManager.default.copyItem(atPath: "\(directory)/seed-\(seeds[kept])\(suffix)", toPath: base + suffix)
        }
        var escalations: [String: EscalationBreakdown] = [:]
        if evalStorms > 0 { (checkpoint.evaluation, escalations) = try Self.evaluation(of: checkpoint, profiles: profiles, storms: evalStorms) }
        let wall = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        checkpoint.training.command = CommandLine.arguments.joined(separator: " ")
        try checkpoint.write(path: out)
        if !json {
            print("validation on \(checkpoint.selection!.validation), Jain floor \(String(format: "%.3f", floor)):")
            print(String(format: "  honest      TTR %6.0f ± %5.0f s  escalated %5.2f%% (live %5.2f%%)  critical breaches %5.1f%%  open at end %5.1f%%  Jain %.3f",
                         honest.meanTTR, honest.meanTTRConfidence95, 100 * honest.escalatedShare, 100 * honest.liveEscalatedShare, 100 * honest.criticalBreachRate,
                         100 * honest.openShare, honest.jainIndex ?? .nan))
            for candidate in checkpoint.selection!.candidates {
                let row = candidate.validation
                print(String(format: "  seed %-6llu TTR %6.0f ± %5.0f s  escalated %5.2f%% (live %5.2f%%)  critical breaches %5.1f%%  open at end %5.1f%%  Jain %.3f%@%@",
                             candidate.seed, row.meanTTR, row.meanTTRConfidence95, 100 * row.escalatedShare, 100 * row.liveEscalatedShare, 100 * row.criticalBreachRate,
                             100 * row.openShare, row.jainIndex ?? .nan, candidate.meetsConstraints ? "" : "  (outside constraints)",
                             candidate.seed == seeds[kept] ? "  ← kept" : ""))
            }
        }
        try report(checkpoint, escalations: escalations, wrote: "wrote \(out) (seed \(seeds[kept]) of \(seeds.count), \(String(format: "%.0f", wall)) s in all), "
            + "curves \(base).curves.csv/.html, candidates in \(directory)")
    }
}

/// Results of the candidate trainings, filled from worker threads.
private final class SeedResults: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private var results: [Result<(PolicyCheckpoint, PolicyCheckpoint.EvaluationRow), any Error>?]

    init(count: Int) { results = Array(repeating: nil, count: count) }

    func claim() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next < results.count else { return nil }
        next += 1
        return next - 1
    }

    func store(_ index: Int, _ result: Result<(PolicyCheckpoint, PolicyCheckpoint.EvaluationRow), any Error>) {
        lock.lock()
        results[index] = result
        lock.unlock()
    }

    var all: [Result<(PolicyCheckpoint, PolicyCheckpoint.EvaluationRow), any Error>?] {
        lock.lock()
        defer { lock.unlock() }
        return results
    }
}

/// One progress bar over every candidate's iterations (a line per ten iterations when piped).
private final class SeedProgress: @unchecked Sendable {
    private let lock = NSLock()
    private let seeds: [UInt64]
    private let quiet: Bool
    private var done: [Int]
    private var bar: ProgressBar?

    init(seeds: [UInt64], quiet: Bool) {
        self.seeds = seeds
        self.quiet = quiet
        done = Array(repeating: 0, count: seeds.count)
    }

    func update(index: Int, iteration: Int, total: Int, detail: String) {
        lock.lock()
        defer { lock.unlock() }
        done[index] = iteration
        if bar == nil { bar = ProgressBar("training \(seeds.count) seeds", total: Double(total * seeds.count)) }
        bar?.update(Double(done.reduce(0, +)), detail: "seed \(seeds[index]): \(detail)")
        if !Terminal.isInteractive, !quiet, iteration % 10 == 0 { printError("seed \(seeds[index]) iteration \(iteration)/\(total): \(detail)") }
    }

    func finished(seed: UInt64, row: PolicyCheckpoint.EvaluationRow) {
        guard !Terminal.isInteractive, !quiet else { return }
        lock.lock()
        defer { lock.unlock() }
        printError(String(format: "seed %llu validation: TTR %.0f s, escalated %.2f%% (live %.2f%%), Jain %.3f", seed, row.meanTTR,
                          100 * row.escalatedShare, 100 * row.liveEscalatedShare, row.jainIndex ?? .nan))
    }

    func finish() {
        lock.lock()
        defer { lock.unlock() }
        bar?.finish()
    }
}
