import ArgumentParser
import Foundation
import TenderConfig
import TenderCore
import TenderSim

/// `tender compare SCENARIO --allocators a,b,c [--policies p,q]`: allocators, and contract net
/// under several bidding policies, on identical storms, one table.
struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run several allocators (or bidding policies) on identical storms (common random numbers) and compare them.",
        discussion: """
        Every row sees the same seeds, and a seed fixes the storm and each incident's difficulty. \
        --policies runs contract net once per bidding policy (rows `contract-net/POLICY`); \
        without --allocators it compares just those.
        """
    )

    @Argument(help: "Scenario file (simulations/*.yaml).")
    var scenario: String

    @Option(help: "Comma-separated allocators: \(AllocatorNames.all.joined(separator: ", ")). Default: all, or contract-net alone with --policies.")
    var allocators: String?

    @Option(help: "Comma-separated bidding policies for contract net: built-ins (\(HeuristicPolicies.names.joined(separator: ", "))), policy files, or names in policies/.")
    var policies: String?

    @OptionGroup var options: StormRunOptions

    static func list(_ text: String?) -> [String] {
        (text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    var allocatorList: [String] {
        allocators == nil ? (policies == nil ? AllocatorNames.all : [AllocatorNames.contractNet]) : Self.list(allocators)
    }

    /// The rows: each allocator once, except contract net, once per policy when --policies is given.
    var entries: [SimulationBatch.Entry] {
        let policyList = Self.list(policies)
        return allocatorList.flatMap { allocator -> [SimulationBatch.Entry] in
            guard allocator == AllocatorNames.contractNet, !policyList.isEmpty else {
                return [.init(label: allocator, allocator: allocator, policy: options.policy)]
            }
            return policyList.map { .init(label: "\(allocator)/\(PolicyLoader.label($0))", allocator: allocator, policy: $0) }
        }
    }

    func validate() throws {
        guard !allocatorList.isEmpty else { throw ValidationError("--allocators is empty") }
        try SimulationSupport.validateAllocators(allocatorList)
        guard policies != nil else { return }
        let policyList = Self.list(policies)
        guard !policyList.isEmpty else { throw ValidationError("--policies is empty") }
        guard options.policy == nil else { throw ValidationError("give either --policy or --policies, not both") }
        guard allocatorList.contains(AllocatorNames.contractNet) else { throw ValidationError("--policies needs contract-net among the allocators: only contract net bids") }
        for policy in policyList { try StormRunOptions.checkPolicy(policy, option: "--policies") }
        guard Set(entries.map(\.label)).count == entries.count else { throw ValidationError("--policies names the same policy twice") }
    }

    func run() throws {
        let loaded = options.applied(to: try SimulationSupport.loadScenario(scenario))
        let batch = SimulationBatch(scenario: loaded, entries: entries, seed: options.seed, seedCount: options.seeds)
        let runs = try SimulationSupport.run(batch, options: options)
        if let html = options.html { try SimulationSupport.writeHTML(html, scenario: loaded, runs: runs) }
        if options.json {
            let allocatorsJSON = try runs.map { ($0.allocator, try SimulationBatch.json($0.results)) }
            try JSONOutput.print(JSONValue.object([
                ("scenario", .string(loaded.name)),
                ("seeds", .array(batch.seeds.map { .integer(Int(truncatingIfNeeded: $0)) })),
                ("allocators", .object(allocatorsJSON)),
            ]))
        } else {
            print(SummaryTable.comparison(runs, scenario: loaded.name))
            if let html = options.html { print("report written to \(html)") }
        }
    }
}
