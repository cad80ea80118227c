import ArgumentParser
import Foundation
import TenderConfig
import TenderCore

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

    @Option(help: "Bidding policy: \(HeuristicPolicies.names.joined(separator: ", ")).")
    var policy = "honest"

    @Option(help: "Random seed; the same seed replays the same demo.")
    var seed: UInt64 = 7

    func validate() throws {
        guard (1...1000).contains(incidents) else { throw ValidationError("--incidents must be from 1 to 1000") }
        guard HeuristicPolicies.named(policy) != nil else {
            throw ValidationError("unknown --policy `\(policy)`, expected one of: \(HeuristicPolicies.names.joined(separator: ", "))")
        }
    }

    func run() throws {
        let profiles = try loadProfiles()
        var driver = DemoDriver(profiles: profiles, policy: HeuristicPolicies.named(policy)!, seed: seed)
        var random = SeededGenerator(seed: seed ^ 0xDE40)
        var arrival = Instant.zero
        for number in 1...incidents {
            arrival = arrival + ServiceDistribution.exponential(mean: 90).sample(&random)
            driver.submit(DemoBurst.incident(number: number, at: arrival, &random))
        }
        driver.runToCompletion()

        print("Tender demo: \(incidents) incidents, \(profiles.count) specialists, policy \(policy), seed \(seed)\n")
        for story in driver.stories.values.sorted(by: { $0.incident.id < $1.incident.id }) {
            let incident = story.incident
            print("\(incident.id)  \(incident.severity.name) \(incident.category.name) on \(incident.service) (\(incident.region))")
            for line in story.lines { print("    \(line)") }
        }
        let fairness = driver.fairness.snapshot
        print("\nWork done (seconds of service):")
        for (index, profile) in profiles.enumerated() {
            print("    \(profile.name.padding(toLength: 12, withPad: " ", startingAt: 0)) \(String(format: "%6.0f", driver.fairness.work[index]))")
        }
        print(String(format: "Jain's index %.3f raw, %.3f capability-normalised; Gini %.3f", fairness.raw.jain, fairness.normalised.jain, fairness.normalised.gini))
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

/// A plausible mix of incidents for the demo.
enum DemoBurst {
    static let services = ["checkout", "auth", "search", "payments", "inventory", "edge-proxy"]
    static let regions = ["eu-west-1", "us-east-1", "ap-south-1"]

    static func incident(number: Int, at time: Instant, _ random: inout SeededGenerator) -> Incident {
        let category = IncidentCategory.allCases[random.nextIndex(below: 4)]
        let severity = [Severity.critical, .high, .high, .medium, .medium, .medium, .low][random.nextIndex(below: 7)]
        let service = services[random.nextIndex(below: services.count)]
        let entities: [Entity] = [
            .ip("203.0.113.\(1 + random.nextIndex(below: 250))"),
            .host("\(service)-\(1 + random.nextIndex(below: 9))"),
            .service(service),
        ]
        return Incident(
            id: IncidentID(UInt64(number)), category: category, severity: severity, service: service,
            region: regions[random.nextIndex(below: regions.count)], entities: entities, createdAt: time
        )
    }
}
