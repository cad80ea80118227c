import TenderCore

/// Reads one `specialists` item: `{profile: path, count}` or an inline
/// `{name, count, capacity, skills, service}`, plus the optional pool-dynamics fields.
enum ScenarioSpecialistReader {
    static let common = ["count", "rollback", "join_at", "leave_at", "crash", "policy"]
    static let inline = ["name", "kind", "capacity", "skills", "service", "severity_factor", "failure"]

    static func read(_ node: ConfigNode) throws -> SpecialistGroup {
        if let profileNode = try node.optional("profile") {
            try node.rejectUnknownKeys(["profile", "name"] + common)
            let path = ScenarioLoader.resolve(try profileNode.string(), relativeTo: node.file)
            let profile: SpecialistProfile
            do {
                profile = try ProfileLoader.load(path: path)
            } catch let error as ConfigError where error.line == 0 {
                throw profileNode.error("\(profileNode.path) `\(path)` \(error.message)")
            }
            var group = SpecialistGroup(
                name: try node.optional("name")?.string() ?? profile.name, count: 1, kind: profile.kind,
                capacity: profile.capacity, skills: profile.skills, service: profile.service, failure: profile.failure
            )
            try readCommon(node, into: &group)
            return group
        }
        try node.rejectUnknownKeys(inline + common + ["profile"])
        let diagnostics = Diagnostics()
        let name = diagnostics.attempt { try node.required("name", expected: "the specialist's name (or `profile: path`)").string() }
        let capacity = diagnostics.attempt { try node.required("capacity", expected: "concurrent tasks, a whole number").int(in: 1...10_000) }
        let skills = diagnostics.attempt { try ProfileLoader.readSkills(node.required("skills", expected: "a skill from 0 to 1 per category")) }
        let service = diagnostics.attempt { try ProfileLoader.readService(node, diagnostics) }
        let failure = diagnostics.attempt { try ProfileLoader.readFailure(node.optional("failure")) }
        let kind = diagnostics.attempt {
            try node.optional("kind")?.oneOf("specialist kind", SpecialistKind.allCases.map(\.rawValue), SpecialistKind.init(rawValue:))
        }
        try diagnostics.check()
        guard let name, let capacity, let skills, let service, let failure, let kind else { throw ConfigErrors([node.error("is incomplete")]) }
        // Without an explicit kind, a specialist's trade is what it is best at.
        let best = IncidentCategory.allCases.max { skills[$0] < skills[$1] } ?? .security
        var group = SpecialistGroup(
            name: name, count: 1, kind: kind ?? SpecialistKind.allCases[best.rawValue], capacity: capacity,
            skills: skills, service: service, failure: failure ?? FailureModel(base: 0, slope: 0)
        )
        try readCommon(node, into: &group)
        return group
    }

    static func readCommon(_ node: ConfigNode, into group: inout SpecialistGroup) throws {
        group.count = try node.optional("count")?.int(in: 1...100_000) ?? 1
        group.rollbackFactor = try node.optional("rollback")?.double(in: 0...100) ?? 0.5
        group.joinAt = try node.optional("join_at")?.double(in: 0...1e12) ?? 0
        group.policy = try node.optional("policy").map(ScenarioLoader.readPolicy)
        group.leaveAt = try node.optional("leave_at")?.double(in: 0...1e12)
        if let leave = group.leaveAt, leave <= group.joinAt {
            throw node.error("\(node.path).leave_at (\(leave)) is not after join_at (\(group.joinAt)), expected a later time")
        }
        if let crash = try node.optional("crash") {
            try crash.rejectUnknownKeys(["mtbf", "downtime"])
            group.crash = CrashModel(
                meanTimeBetween: try crash.required("mtbf", expected: "mean seconds between crashes").double(in: 0.001...1e12),
                downtime: try crash.required("downtime", expected: "seconds a crashed specialist stays away").double(in: 0...1e12)
            )
        }
    }
}
