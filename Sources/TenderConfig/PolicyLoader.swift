import Foundation
import TenderCore

/// Reads bidding-policy files (`policies/*.yaml`): which heuristic a specialist bids with, and
/// its tuning. Trained (PPO) checkpoints will be a further kind of file here.
///
/// ```yaml
/// heuristic: load-shedding   # honest | load-shedding
/// threshold: 0.6             # load-shedding: share of capacity above which non-critical calls are refused
/// minimum_skill: 0.2         # below this skill in a category, refuse as not capable
/// bid_multiplier: 0.3        # bids × this: 0.3 an optimist, 2.0 a sandbagger (default 1, honest)
/// ```
public enum PolicyLoader {
    static let fields = ["heuristic", "threshold", "minimum_skill", "bid_multiplier", "description"]

    public static func load(path: String) throws -> any BiddingPolicy {
        // A trained (PPO) checkpoint, written by `tender train`.
        if path.hasSuffix(".json") { return try LearnedBiddingPolicy(checkpoint: PolicyCheckpoint.load(path: path)) }
        return try parse(ConfigNode.load(path: path))
    }

    public static func parse(_ root: ConfigNode) throws -> any BiddingPolicy {
        let diagnostics = Diagnostics()
        diagnostics.attempt { try root.rejectUnknownKeys(fields) }
        let heuristic = diagnostics.attempt {
            try root.required("heuristic", expected: "one of \(HeuristicPolicies.names.joined(separator: ", "))")
                .oneOf("heuristic", HeuristicPolicies.names) { HeuristicPolicies.names.contains($0) ? $0 : nil }
        }
        let minimumSkill = diagnostics.attempt { try root.optional("minimum_skill")?.double(in: 0...1) } ?? nil
        let threshold = diagnostics.attempt { try root.optional("threshold")?.double(in: 0...1) } ?? nil
        let multiplier = diagnostics.attempt { try root.optional("bid_multiplier")?.double(in: 0.01...100) } ?? nil
        if heuristic == "honest", let node = try? root.optional("threshold") {
            diagnostics.attempt { throw node.error("threshold applies to load-shedding only; honest bids never shed load") }
        }
        try diagnostics.check()
        let honest = HonestETAPolicy(minimumSkill: minimumSkill ?? HonestETAPolicy().minimumSkill, bidMultiplier: multiplier ?? 1)
        switch heuristic {
        case "load-shedding":
            return LoadSheddingPolicy(threshold: threshold ?? LoadSheddingPolicy().threshold, minimumSkill: honest.minimumSkill, bidMultiplier: honest.bidMultiplier)
        default:
            return honest
        }
    }

    /// A policy named on the command line or in a scenario: a built-in heuristic's name, the
    /// path of a policy file (relative paths from `directory`), or the bare name of a file in
    /// `policies/`.
    public static func resolve(_ nameOrPath: String, relativeTo directory: String? = nil, shippedIn shippedDirectory: String = "policies") throws -> any BiddingPolicy {
        if let builtIn = HeuristicPolicies.named(nameOrPath) { return builtIn }
        let path = nameOrPath.hasPrefix("/") || directory == nil ? nameOrPath : "\(directory!)/\(nameOrPath)"
        if FileManager.default.fileExists(atPath: path) { return try load(path: path) }
        // A bare name is also looked up among the shipped policies: `specialists-only` is
        // `policies/specialists-only.yaml` when run from the repository.
        for shipped in ["\(shippedDirectory)/\(nameOrPath).yaml", "\(shippedDirectory)/\(nameOrPath).json"]
        where !nameOrPath.contains("/") && !nameOrPath.hasSuffix(".yaml") && FileManager.default.fileExists(atPath: shipped) {
            return try load(path: shipped)
        }
        throw ConfigError(file: path, line: 0, "no such policy file, and not a built-in policy (\(HeuristicPolicies.names.joined(separator: ", "))) or a file in policies/")
    }
}

extension PolicyLoader {
    /// How reports name a policy: a built-in's name, or a policy file's name without folder
    /// and extension (`policies/specialists-only.yaml` is `specialists-only`).
    public static func label(_ nameOrPath: String) -> String {
        if HeuristicPolicies.named(nameOrPath) != nil { return nameOrPath }
        return ((nameOrPath as NSString).lastPathComponent as NSString).deletingPathExtension
    }
}

extension ConfigKind {
    public static let policy = ConfigKind(name: "policy", recognises: hasKey("heuristic")) { node in
        switch try PolicyLoader.parse(node) {
        case let shedding as LoadSheddingPolicy:
            "load-shedding policy: refuses non-critical calls at \(Int(shedding.threshold * 100))% of capacity, minimum skill \(shedding.honest.minimumSkill)"
        case let honest as HonestETAPolicy:
            "honest policy: bids its expected completion time, minimum skill \(honest.minimumSkill)"
        case let other:
            "\(other.name) policy"
        }
    }
}
