import TenderCore

/// Reads `arrivals` items (`{category, severity, process, rate, …}`) and `cascades` rules.
enum ScenarioArrivalReader {
    static let processes = ["poisson", "bursty", "diurnal", "replay"]
    static let severities = Severity.allCases.map(\.name)

    static func readStream(_ node: ConfigNode) throws -> ArrivalStream {
        let process = try node.optional("process")?.oneOf("arrival process", processes) { processes.contains($0) ? $0 : nil } ?? "poisson"
        let base = ["category", "severity", "process", "rate"]
        switch process {
        case "replay":
            try node.rejectUnknownKeys(base + ["file", "speed"])
            let fileNode = try node.required("file", expected: "the path of a JSON-lines incident trace")
            let path = ScenarioLoader.resolve(try fileNode.string(), relativeTo: node.file)
            let trace = try IncidentTrace.load(path: path)
            let speed = try node.optional("speed")?.double(in: 0.000_001...1e9) ?? 1
            // A replay's category and severity, when given, select part of the trace.
            let category = try node.optional("category").map(category(of:))
            let severity = try node.optional("severity").map { try $0.oneOf("severity", severities, Severity.init(name:)) }
            let selected = trace.records.filter { (category == nil || $0.category == category) && (severity == nil || $0.severity == severity) }
            return ArrivalStream(
                category: category ?? .security, severity: severity ?? .medium, rate: 0,
                process: .replay(IncidentTrace(records: selected, source: path), speed: speed)
            )
        case "bursty":
            try node.rejectUnknownKeys(base + ["burst_rate", "mean_on", "mean_off"])
            var stream = try readCommon(node)
            stream.process = .bursty(
                burstRate: try node.required("burst_rate", expected: "arrivals per second during a burst").double(in: 0...1e9),
                meanOn: try node.required("mean_on", expected: "mean seconds a burst lasts").double(in: 0.000_001...1e12),
                meanOff: try node.required("mean_off", expected: "mean seconds between bursts").double(in: 0.000_001...1e12)
            )
            return stream
        case "diurnal":
            try node.rejectUnknownKeys(base + ["amplitude", "period", "peak_at"])
            var stream = try readCommon(node)
            let period = try node.optional("period")?.double(in: 0.001...1e12) ?? 86_400
            stream.process = .diurnal(
                amplitude: try node.optional("amplitude")?.double(in: 0...1) ?? 0.5,
                period: period,
                peakAt: try node.optional("peak_at")?.double(in: 0...1e12) ?? period / 2
            )
            return stream
        default:
            try node.rejectUnknownKeys(base)
            return try readCommon(node)
        }
    }

    static func readCommon(_ node: ConfigNode) throws -> ArrivalStream {
        ArrivalStream(
            category: try category(of: node.required("category", expected: "an incident category")),
            severity: try node.required("severity", expected: "one of \(severities.joined(separator: ", "))").oneOf("severity", severities, Severity.init(name:)),
            rate: try node.required("rate", expected: "arrivals per second").double(in: 0...1e9)
        )
    }

    static func category(of node: ConfigNode) throws -> IncidentCategory {
        try node.oneOf("category", ProfileLoader.categoryNames, IncidentCategory.init(name:))
    }

    /// `{trigger, trigger_severity?, follow, severity?, probability, delay}`; `delay` is a number
    /// of seconds (exponential with that mean) or a distribution.
    static func readCascade(_ node: ConfigNode) throws -> CascadeRule {
        try node.rejectUnknownKeys(["trigger", "trigger_severity", "follow", "severity", "probability", "delay"])
        let delayNode = try node.required("delay", expected: "seconds from trigger to follow-up, or a distribution")
        let delay: ServiceDistribution = delayNode.node.mapping != nil
            ? try DistributionReader.read(delayNode)
            : .exponential(mean: try delayNode.double(in: 0.000_001...1e9))
        return CascadeRule(
            trigger: try category(of: node.required("trigger", expected: "the category that triggers follow-ups")),
            triggerSeverity: try node.optional("trigger_severity")?.oneOf("severity", severities, Severity.init(name:)),
            follow: try category(of: node.required("follow", expected: "the category of the follow-up incidents")),
            followSeverity: try node.optional("severity")?.oneOf("severity", severities, Severity.init(name:)),
            probability: try node.required("probability", expected: "chance of a follow-up, 0 to 1").double(in: 0...1),
            delay: delay
        )
    }
}
