import ArgumentParser
import Foundation
import TenderConfig
import TenderCore
import TenderSim

/// `tender demo`: one burst of incidents auctioned among the four specialists, in-process, with a
/// readable account of who bid what and who won.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Auction a small burst of incidents among the four specialists and explain each award."
    )

    @Option(help: "Directory of specialist profiles.")
    var specialists = "specialists"

    @Option(help: "How many incidents in the burst.")
    var incidents = 10

    @Option(help: "Bidding policy: \(HeuristicPolicies.names.joined(separator: ", ")), or a policy in policies/ (e.g. ppo-default).")
    var policy = "honest"

    @Option(help: "Random seed; the same seed replays the same demo.")
    var seed: UInt64 = 7

    func validate() throws {
        guard (1...1000).contains(incidents) else { throw ValidationError("--incidents must be from 1 to 1000") }
        // A heuristic, a policy file, or a trained checkpoint in policies/ (`ppo-default`).
        guard (try? PolicyLoader.resolve(policy)) != nil else {
            throw ValidationError("unknown --policy `\(policy)`, expected one of: \(HeuristicPolicies.names.joined(separator: ", ")) or a file in policies/")
        }
    }

    func run() throws {
        let profiles = try loadProfiles()
        let scenario = DemoScenario.make(profiles: profiles, incidents: incidents, policy: policy, seed: seed)
        let observer = DemoTranscriptObserver(names: profiles.map(\.name))
        var options = SimulationOptions()
        options.observer = observer
        options.skipStaleTimers = false
        let result = try Simulation(scenario: scenario, options: options).run()

        print("Tender demo: \(incidents) incidents, \(profiles.count) specialists, policy \(policy), seed \(seed)\n")
        // Numbered in arrival order (the simulator's ledger ids encode slots, not counts).
        for (number, story) in observer.stories.values.sorted(by: { $0.arrivedAt < $1.arrivedAt }).enumerated() {
            let what = [story.severity?.name, story.category?.name].compactMap { $0 }.joined(separator: " ")
            print("incident \(number + 1)  \(what.isEmpty ? "still open at the end" : what)")
            for line in story.lines { print("    \(line)") }
        }
        print("\nUtilisation over the run:")
        for name in result.specialistNames {
            let share = result.summary.utilization[name] ?? 0
            print("    \(name.padding(toLength: 12, withPad: " ", startingAt: 0)) \(String(format: "%5.1f%%", 100 * share))")
        }
        print(String(format: "Jain's index %.3f capability-normalised; Gini %.3f; mean time to resolve %@",
                     result.summary.jainIndex, result.summary.gini, DemoTranscript.minutes(result.summary.meanTTRSeconds)))
    }

    private func loadProfiles() throws -> [SpecialistProfile] {
        let files = ["security", "performance", "network", "database"].map { "\(specialists)/\($0).yaml" }
        do {
            return try files.map(ProfileLoader.load(path:))
        } catch {
            printError("\(error)")
            throw ExitCode(2)
        }
    }
}

