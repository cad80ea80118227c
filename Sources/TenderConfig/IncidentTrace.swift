import Foundation
import TenderCore

/// A recorded incident trace: one JSON object per line with `time` (seconds, or an ISO 8601
/// date), `category`, `severity`, and optionally `service` and `entities`.
public struct IncidentTrace: Sendable {
    public struct Record: Sendable, Hashable {
        /// Seconds after the first record.
        public var time: Double
        public var category: IncidentCategory
        public var severity: Severity
        public var service: String
        public var entities: [String]
    }

    /// In time order.
    public var records: [Record]
    public var source: String

    public init(records: [Record], source: String = "") {
        self.records = records.sorted { $0.time < $1.time }
        self.source = source
    }

    /// Read a JSON-lines trace, reporting every bad line as `file:line: problem`.
    public static func load(path: String) throws -> IncidentTrace {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ConfigErrors([ConfigError(file: path, line: 0, "cannot be read, expected a JSON-lines incident trace")])
        }
        return try parse(text, file: path)
    }

    public static func parse(_ text: String, file: String) throws -> IncidentTrace {
        let diagnostics = Diagnostics()
        var records: [Record] = []
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { continue }
            if let record = diagnostics.attempt({ try parseLine(trimmed, file: file, line: offset + 1) }) {
                records.append(record)
            }
        }
        try diagnostics.check()
        guard let first = records.map(\.time).min() else {
            throw ConfigErrors([ConfigError(file: file, line: 0, "has no records, expected one JSON object per line")])
        }
        for index in records.indices { records[index].time -= first }
        return IncidentTrace(records: records, source: file)
    }

    static func parseLine(_ text: String, file: String, line: Int) throws -> Record {
        func fail(_ message: String) -> ConfigError { ConfigError(file: file, line: line, message) }
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw fail("is not a JSON object, expected {\"time\": …, \"category\": …, \"severity\": …}")
        }
        let time: Double
        switch object["time"] {
        case let seconds as NSNumber:
            time = seconds.doubleValue
        case let date as String:
            guard let parsed = ISO8601DateFormatter().date(from: date) else { throw fail("time `\(date)` is not an ISO 8601 date, expected one or a number of seconds") }
            time = parsed.timeIntervalSince1970
        default:
            throw fail("has no `time`, expected seconds or an ISO 8601 date")
        }
        guard time.isFinite else { throw fail("time is not finite") }
        let categories = IncidentCategory.allCases.map(\.name).joined(separator: ", ")
        guard let name = object["category"] as? String, let category = IncidentCategory(name: name) else {
            throw fail("category is missing or unknown, expected one of: \(categories)")
        }
        let severities = Severity.allCases.map(\.name).joined(separator: ", ")
        guard let level = object["severity"] as? String, let severity = Severity(name: level) else {
            throw fail("severity is missing or unknown, expected one of: \(severities)")
        }
        let entities = (object["entities"] as? [Any] ?? []).map { "\($0)" }
        return Record(time: time, category: category, severity: severity, service: object["service"] as? String ?? "", entities: entities)
    }
}
