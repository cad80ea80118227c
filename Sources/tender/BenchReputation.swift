import ArgumentParser
import Foundation
import TenderConfig
import TenderCore
import TenderSim

/// `tender bench reputation`: what weighing track records changes, over seeds, with 95% CIs.
///
/// 1. The unreliable peer (issue 12's goal): two identical specialists, one failing half its
///    tasks; its awards per award to the reliable one, reputation on and off.
/// 2. Mean time to resolve with reputation on and off (paired by seed) on each `--scenarios`
///    file; for a pool with per-group policies (dishonest bidders) also the same pool bidding
///    honestly, with reputation on, for the goal "within 10% of an honest pool".
struct BenchReputation: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reputation",
        abstract: "Measure reputation's goals over seeds (award ratio of an unreliable peer, mean TTR on vs off), with 95% CIs."
    )

    @Option(help: "Scenario with an unreliable specialist and its reliable twin.")
    var peer = "simulations/unreliable-peer.yaml"

    @Option(help: "The specialist that fails often, in --peer.")
    var unreliable = "security-unreliable"

    @Option(help: "Its otherwise identical reliable peer, in --peer.")
    var reliable = "security-reliable"

    @Option(help: "Comma-separated scenarios whose mean TTR is compared with reputation on and off.")
    var scenarios = "simulations/dishonest-bidders.yaml"

    @Option(help: "Seeds per configuration (at least 5 for the goals' CIs).")
    var seeds = 5

    @Option(help: "First seed (default: each scenario's own); seed i is this + i.")
    var seed: UInt64?

    @Flag(help: "Print JSON (the figures are JSON in any case; without it, one line per figure).")
    var json = false

    func validate() throws {
        guard (2...1000).contains(seeds) else { throw ValidationError("--seeds must be from 2 to 1000 (a CI needs two)") }
    }

    func run() throws {
        let quiet = json || !Terminal.isInteractive
        let scenarioList = Compare.list(scenarios)
        let total = Double(seeds * (2 + 3 * scenarioList.count))
        let bar = ProgressBar("bench reputation", total: total, enabled: !quiet)
        var done = 0.0
        func runs(_ scenario: Scenario, reputation: Bool, honest: Bool = false) throws -> [SimulationResult] {
            let seedList = (0..<seeds).map { (seed ?? scenario.seed) &+ UInt64($0) }
            do {
                let results = try ReputationStudy.run(scenario, reputation: reputation, seeds: seedList, honest: honest)
                done += Double(seeds)
                bar.update(done)
                return results
            } catch let error as SimulationError {
                bar.finish()
                printError("error: \(error)")
                throw ExitCode(1)
            }
        }

        let peerScenario = try SimulationSupport.loadScenario(peer)
        var arms: [(String, JSONValue)] = []
        var ratios: [Bool: [Double]] = [:]
        for reputation in [true, false] {
            let results = try runs(peerScenario, reputation: reputation)
            let perSeed = try results.map { result -> Double in
                guard let ratio = ReputationStudy.awardRatio(result, unreliable: unreliable, reliable: reliable) else {
                    throw ValidationError("\(peer) has no awards to `\(reliable)` or no specialist `\(unreliable)` (seed \(result.summary.seed))")
                }
                return ratio
            }
            ratios[reputation] = perSeed
            arms.append(("reputation_\(reputation ? "on" : "off")", .object([
                ("award_ratio", Self.json(SeedAggregate.interval(perSeed))),
                ("award_ratio_per_seed", .array(perSeed.map { .number($0) })),
                ("awards_unreliable", .array(results.map { .integer(ReputationStudy.awards($0, to: unreliable) ?? 0) })),
                ("awards_reliable", .array(results.map { .integer(ReputationStudy.awards($0, to: reliable) ?? 0) })),
            ])))
        }
        let on = SeedAggregate.interval(ratios[true] ?? [])
        arms.append(("goal", .string("awards to the unreliable peer per award to the reliable one ≤ 0.5 with reputation on")))
        arms.append(("goal_met", .bool(on.high <= 0.5)))
        let goal = JSONValue.object([("scenario", .string(peerScenario.name)), ("unreliable", .string(unreliable)), ("reliable", .string(reliable))] + arms)

        var rows: [JSONValue] = []
        for path in scenarioList {
            let scenario = try SimulationSupport.loadScenario(path)
            let withReputation = try runs(scenario, reputation: true).map(\.summary.meanTTRSeconds)
            let without = try runs(scenario, reputation: false).map(\.summary.meanTTRSeconds)
            var row: [(String, JSONValue)] = [
                ("scenario", .string(scenario.name)),
                ("mean_ttr_seconds_on", Self.json(SeedAggregate.interval(withReputation))),
                ("mean_ttr_seconds_off", Self.json(SeedAggregate.interval(without))),
                ("on_minus_off_seconds", Self.json(ReputationStudy.pairedDifference(withReputation, without))),
            ]
            if scenario.specialists.contains(where: { $0.policy != nil }) {
                let honest = try runs(scenario, reputation: true, honest: true).map(\.summary.meanTTRSeconds)
                row.append(("mean_ttr_seconds_honest_pool_on", Self.json(SeedAggregate.interval(honest))))
                row.append(("on_over_honest_pool", Self.json(SeedAggregate.interval(zip(withReputation, honest).map { $0 / $1 }))))
                row.append(("off_over_honest_pool", Self.json(SeedAggregate.interval(zip(without, honest).map { $0 / $1 }))))
            } else {
                done += Double(seeds)
            }
            rows.append(.object(row))
        }
        bar.finish()
        let report = JSONValue.object([("seeds", .integer(seeds)), ("unreliable_peer", goal), ("scenarios", .array(rows))])
        try JSONOutput.print(report)
    }

    static func json(_ interval: ConfidenceInterval) -> JSONValue {
        .object([("mean", .number(interval.mean)), ("ci95", .array([.number(interval.low), .number(interval.high)])), ("half_width", .number(interval.halfWidth))])
    }
}
