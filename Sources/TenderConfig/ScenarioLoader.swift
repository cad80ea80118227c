import Foundation
import TenderCore

/// Reads and validates storm scenarios (`simulations/*.yaml`), reporting every problem at once
/// with its file and line. The field names are a contract with other tools that write
/// scenarios: see `docs/SCENARIOS.md`.
public enum ScenarioLoader {
    static let fields = [
        "name", "seed", "duration", "incidents", "warmup", "specialists", "arrivals", "cascades",
        "backlog", "allocator", "policy", "message_latency", "reply_window", "description", "reputation",
    ]

    /// Bidding policies a scenario may name. Trained policies from `policies/` will join these.
    public static var policyNames: [String] { HeuristicPolicies.names }

    /// A built-in policy's name, or a policy file relative to the scenario (checked here, so
    /// its problems are reported with the scenario's); a file comes back as its resolved path.
    static func readPolicy(_ node: ConfigNode) throws -> String {
        let text = try node.string()
        if policyNames.contains(text) { return text }
        let path = text.hasPrefix("/") ? text : ((node.file as NSString).deletingLastPathComponent as NSString).appendingPathComponent(text)
        guard FileManager.default.fileExists(atPath: path) else {
            throw node.error("policy is `\(text)`, neither a bidding policy (\(policyNames.joined(separator: ", "))) nor a policy file next to the scenario")
        }
        _ = try PolicyLoader.load(path: path)
        return path
    }

    public static func load(path: String) throws -> Scenario {
        try parse(ConfigNode.load(path: path))
    }

    public static func parse(_ root: ConfigNode) throws -> Scenario {
        let diagnostics = Diagnostics()
        diagnostics.attempt { try root.rejectUnknownKeys(fields) }
        let name = diagnostics.attempt { try root.required("name", expected: "the scenario's name").string() }
        let seed = diagnostics.attempt { try root.optional("seed")?.uint64() ?? 1 }
        let stop = diagnostics.attempt { try readStop(root) }
        let warmup = diagnostics.attempt { try root.optional("warmup")?.double(in: 0...1e12) ?? 0 }
        let specialists = diagnostics.attempt {
            try root.required("specialists", expected: "a list of {profile, count} or inline specialists").list().compactMap { node in
                diagnostics.attempt { try ScenarioSpecialistReader.read(node) }
            }
        }
        let arrivals = diagnostics.attempt {
            try root.required("arrivals", expected: "a list of {category, severity, process, rate}").list().compactMap { node in
                diagnostics.attempt { try ScenarioArrivalReader.readStream(node) }
            }
        }
        let cascades = diagnostics.attempt {
            try root.optional("cascades")?.list().compactMap { node in
                diagnostics.attempt { try ScenarioArrivalReader.readCascade(node) }
            } ?? []
        }
        let backlog = diagnostics.attempt {
            try root.optional("backlog")?.oneOf("backlog order", BacklogOrder.allCases.map(\.rawValue), BacklogOrder.init(rawValue:)) ?? .priority
        }
        let allocator = diagnostics.attempt {
            try root.optional("allocator")?.oneOf("allocator", AllocatorNames.all) { AllocatorNames.all.contains($0) ? $0 : nil } ?? "contract-net"
        }
        let policy = diagnostics.attempt { try root.optional("policy").map(readPolicy) ?? "honest" }
        let latency = diagnostics.attempt { try root.optional("message_latency")?.double(in: 0...3600) ?? 0 }
        let replyWindow = diagnostics.attempt { try root.optional("reply_window")?.double(in: 0.000_001...3600) }
        _ = diagnostics.attempt { try root.optional("description")?.string() }
        let reputation = diagnostics.attempt {
            try root.optional("reputation")?.oneOf("reputation", ["on", "off", "true", "false"]) { (text: String) -> Bool? in ["on": true, "true": true, "off": false, "false": false][text] } ?? true
        }
        try diagnostics.check()

        guard let name, let seed, let stop, let warmup, let specialists, let arrivals, let cascades,
              let backlog, let allocator, let policy, let latency, let replyWindow
        else { throw ConfigErrors([root.error("is incomplete")]) }
        var problems: [ConfigError] = []
        if specialists.isEmpty { problems.append(root.error("specialists is empty, expected at least one specialist")) }
        if arrivals.isEmpty { problems.append(root.error("arrivals is empty, expected at least one arrival stream")) }
        if case .duration(let seconds) = stop, warmup >= seconds {
            problems.append(root.error("warmup (\(warmup)s) is not shorter than duration (\(seconds)s), expected a shorter warmup"))
        }
        if let window = replyWindow, latency * 2 >= window {
            problems.append(root.error("reply_window \(window)s is not longer than a round trip of message_latency (\(2 * latency)s); every bid would be late"))
        }
        if !problems.isEmpty { throw ConfigErrors(problems) }
        var scenario = Scenario(
            name: name, seed: seed, stop: stop, warmup: warmup, specialists: specialists, arrivals: arrivals,
            cascades: cascades, backlog: backlog, allocator: allocator, policy: policy,
            messageLatency: latency, replyWindow: replyWindow, source: root.file
        )
        scenario.reputation = reputation ?? true
        return scenario
    }

    static func readStop(_ root: ConfigNode) throws -> StopCondition {
        switch (try root.optional("duration"), try root.optional("incidents")) {
        case (let duration?, nil): .duration(try duration.double(in: 0.000_001...1e12))
        case (nil, let incidents?): .incidents(try incidents.int(in: 1...2_000_000_000))
        case (_?, let incidents?): throw incidents.error("both `duration` and `incidents` are given, expected one of them")
        case (nil, nil): throw root.error("the document is missing `duration` or `incidents`, expected simulated seconds or an incident count")
        }
    }

    /// A path in a scenario is relative to the scenario's own folder; failing that, to the
    /// working directory (so `specialists/network.yaml` works from the repository root).
    static func resolve(_ path: String, relativeTo file: String) -> String {
        guard !path.hasPrefix("/") else { return path }
        let beside = ((file as NSString).deletingLastPathComponent as NSString).appendingPathComponent(path)
        return FileManager.default.fileExists(atPath: beside) ? beside : path
    }
}

extension ConfigKind {
    /// Storm scenarios: recognised by their `arrivals`.
    public static let scenario = ConfigKind(name: "scenario", recognises: hasKey("arrivals")) { node in
        let scenario = try ScenarioLoader.parse(node)
        let stop = switch scenario.stop {
        case .duration(let seconds): "\(seconds.formatted)s"
        case .incidents(let count): "\(count) incidents"
        }
        return "scenario `\(scenario.name)`: \(counted(scenario.specialistCount, "specialist")), \(counted(scenario.arrivals.count, "arrival stream")), \(counted(scenario.cascades.count, "cascade")), \(stop), allocator \(scenario.allocator)"
    }
}

/// "1 cascade", "3 cascades".
private func counted(_ count: Int, _ noun: String) -> String {
    "\(count) \(noun)\(count == 1 ? "" : "s")"
}
