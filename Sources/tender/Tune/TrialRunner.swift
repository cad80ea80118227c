import Foundation
import TenderCore
import TenderLearning

/// One trial of `tender tune`: its draw, and how its `tender train` child ended.
struct TrialOutcome: Encodable {
    var trial: Int
    var seed: UInt64
    var hyperparameters: TrialHyperparameters
    /// `ok`, or `failed` with `error` (the child's exit status and last log line).
    var status: String
    var error: String?
    var checkpoint: String
    var log: String
    var wallSeconds: Double
    /// The trial's policy on validation storms of the training family (never trained on): what
    /// the leaderboard ranks by, so choosing a trial never looks at the held-out storms.
    var validationMeanTTRSeconds: Double?
    var validationEscalatedShare: Double?
    var validationJainIndex: Double?
    /// The learned policy's row of the held-out evaluation (nil when the trial failed): reported,
    /// never used to rank.
    var meanTTRSeconds: Double?
    var meanTTRConfidence95: Double?
    var escalatedShare: Double?
    var criticalBreachRate: Double?
    var openShare: Double?
    var jainIndex: Double?
    /// Mean TTR bound of the held-out storms (each incident served at once by its fastest specialist).
    var ttrLowerBound: Double?

    enum CodingKeys: String, CodingKey {
        case trial, seed, hyperparameters, status, error, checkpoint, log
        case wallSeconds = "wall_s"
        case validationMeanTTRSeconds = "validation_mean_ttr_s"
        case validationEscalatedShare = "validation_escalated_share"
        case validationJainIndex = "validation_jain_index"
        case meanTTRSeconds = "mean_ttr_s"
        case meanTTRConfidence95 = "mean_ttr_ci95_s"
        case escalatedShare = "escalated_share"
        case criticalBreachRate = "critical_breach_rate"
        case openShare = "open_share"
        case jainIndex = "jain_index"
        case ttrLowerBound = "ttr_lower_bound_s"
    }

    /// Escalating more than 1% of incidents disqualifies a trial: refusing hard work must not win.
    static let escalationLimit = 0.01

    var eligible: Bool { status == "ok" && (validationEscalatedShare ?? 1) <= Self.escalationLimit }

    /// Leaderboard order: eligible trials first, then by validation mean TTR, failures last.
    static func ranked(_ outcomes: [TrialOutcome]) -> [TrialOutcome] {
        outcomes.sorted { a, b in
            if a.eligible != b.eligible { return a.eligible }
            let ta = a.validationMeanTTRSeconds ?? .infinity, tb = b.validationMeanTTRSeconds ?? .infinity
            return ta != tb ? ta < tb : a.trial < b.trial
        }
    }
}

/// Runs trials as `tender train` child processes, `jobs` at a time. Children are spawned from
/// an argv (no shell); their stdout is discarded (the checkpoint is the result) and their stderr
/// goes to the trial's log file.
final class TrialRunner: @unchecked Sendable {
    let executable: URL
    let common: [String]
    let directory: URL
    private let lock = NSLock()
    private var next = 0
    private var outcomes: [TrialOutcome?]
    private let trials: [(seed: UInt64, hyperparameters: TrialHyperparameters)]
    private let onFinished: @Sendable (TrialOutcome, Int) -> Void

    /// - Parameters:
    ///   - common: arguments every child gets (steps, evaluation storms, specialists, …).
    ///   - onFinished: called (from a worker thread, serialised) with each outcome and the count done.
    init(executable: URL, common: [String], directory: URL, trials: [(seed: UInt64, hyperparameters: TrialHyperparameters)],
         onFinished: @escaping @Sendable (TrialOutcome, Int) -> Void) {
        self.executable = executable
        self.common = common
        self.directory = directory
        self.trials = trials
        self.onFinished = onFinished
        outcomes = Array(repeating: nil, count: trials.count)
    }

    /// Run every trial, at most `jobs` at once, and return their outcomes in trial order.
    func run(jobs: Int) -> [TrialOutcome] {
        DispatchQueue.concurrentPerform(iterations: max(1, min(jobs, trials.count))) { _ in
            while let index = claim() {
                let outcome = runTrial(index)
                lock.lock()
                outcomes[index] = outcome
                let done = outcomes.compactMap { $0 }.count
                onFinished(outcome, done)
                lock.unlock()
            }
        }
        return outcomes.compactMap { $0 }
    }

    private func claim() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next < trials.count else { return nil }
        next += 1
        return next - 1
    }

    private func runTrial(_ index: Int) -> TrialOutcome {
        let started = DispatchTime.now().uptimeNanoseconds
        var outcome = train(index)
        outcome.wallSeconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        return outcome
    }

    private func train(_ index: Int) -> TrialOutcome {
        let (seed, hyperparameters) = trials[index]
        let name = "trial-\(index + 1)"
        let checkpoint = directory.appendingPathComponent("\(name).json")
        let log = directory.appendingPathComponent("\(name).log")
        var outcome = TrialOutcome(
            trial: index + 1, seed: seed, hyperparameters: hyperparameters, status: "failed", checkpoint: checkpoint.path,
            log: log.path, wallSeconds: 0
        )
        let process = Process()
        process.executableURL = executable
        // One seed through `--seeds`, so the child scores its policy on validation storms too
        // (the training family's only: a trial is ranked on them, `--validation-storms`).
        process.arguments = ["train"] + common + ["--seeds", "\(seed)", "--jobs", "1", "--validation-holdout-storms", "0", "--out", checkpoint.path,
                                                  "--work-dir", directory.appendingPathComponent("\(name).seeds").path]
            + TrainHyperparameterOptions.arguments(for: hyperparameters)
        do {
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            let logHandle = try FileHandle(forWritingTo: log)
            defer { try? logHandle.close() }
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            process.standardError = logHandle
            try process.run()
            process.waitUntilExit()
        } catch {
            outcome.error = "could not start \(executable.path): \(error)"
            return outcome
        }
        guard process.terminationStatus == 0 else {
            let tail = (try? String(contentsOf: log, encoding: .utf8))?.split(separator: "\n").last.map(String.init) ?? ""
            outcome.error = "tender train exited with status \(process.terminationStatus): \(tail)"
            return outcome
        }
        do {
            let loaded = try PolicyCheckpoint.load(path: checkpoint.path)
            guard let row = loaded.evaluation.first(where: { $0.allocator == "contract-net/\(loaded.name)" }) else {
                outcome.error = "\(checkpoint.path) has no held-out evaluation of its policy"
                return outcome
            }
            guard let validation = loaded.selection?.candidates.first?.validation else {
                outcome.error = "\(checkpoint.path) has no validation score of its policy"
                return outcome
            }
            outcome.status = "ok"
            outcome.validationMeanTTRSeconds = validation.meanTTR
            // As seed selection counts it: what a live coordinator would escalate.
            outcome.validationEscalatedShare = validation.liveEscalatedShare
            outcome.validationJainIndex = validation.jainIndex
            outcome.meanTTRSeconds = row.meanTTR
            outcome.meanTTRConfidence95 = row.meanTTRConfidence95
            outcome.escalatedShare = row.escalatedShare
            outcome.criticalBreachRate = row.criticalBreachRate
            outcome.openShare = row.openShare
            outcome.jainIndex = row.jainIndex
            outcome.ttrLowerBound = row.ttrLowerBound
        } catch {
            outcome.error = "could not read \(checkpoint.path): \(error)"
        }
        return outcome
    }
}
