import TenderCore
import Foundation

/// One line received on an intake connection: an incident, or a command for the connection.
///
/// A line whose object has an `op` field is a command; any other object is an incident. Decided
/// by decoding, never by searching the text (an entity value may well contain `"op"`).
public enum IntakeLine: Sendable, Hashable {
    case incident(IncidentSubmission)
    case command(IntakeCommand)

    /// Decode and check one line; the error names the field and carries the line's `ref` if any.
    public static func parse(_ line: String, limits: IncidentLimits = .standard) -> Result<IntakeLine, IntakeError> {
        let decoded: IntakeLine
        do {
            decoded = try JSONDecoder().decode(IntakeLine.self, from: Data(line.utf8))
        } catch let error as IntakeError {
            return .failure(error)
        } catch DecodingError.typeMismatch(_, let context) where context.codingPath.isEmpty {
            return .failure(IntakeError(field: nil, "not a JSON object"))
        } catch DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty {
            return .failure(IntakeError(field: nil, "not valid JSON"))
        } catch {
            return .failure(IntakeError(field: nil, "not a JSON object: \(error)"))
        }
        if case .incident(let submission) = decoded, let violation = limits.violation(in: submission) {
            return .failure(violation)
        }
        return .success(decoded)
    }
}

extension IntakeLine: Decodable {
    public init(from decoder: Decoder) throws {
        let fields = try decoder.container(keyedBy: AnyKey.self)
        if fields.contains(AnyKey("op")) {
            self = .command(try IntakeCommand(from: fields))
        } else {
            self = .incident(try IncidentSubmission(from: decoder))
        }
    }
}

/// A command on an intake connection (`{"op":"watch"}`, `{"op":"stats"}`,
/// `{"op":"cancel","id":N}`).
public enum IntakeCommand: Sendable, Hashable {
    /// Stream a line for every concluded incident on this connection.
    case watch
    /// One line with the coordinator's counters.
    case stats
    /// Withdraw open incident `id`: its auction ends, a plan being executed is stopped and what
    /// ran is undone, and it concludes `cancelled`. `by` and `reason` go to the audit log.
    case cancel(id: UInt64, by: String?, reason: String?)

    public static let names = ["watch", "stats", "cancel"]

    /// Its `op`.
    public var name: String {
        switch self {
        case .watch: "watch"
        case .stats: "stats"
        case .cancel: "cancel"
        }
    }
    /// Longest `by` and `reason` of a cancel, in bytes.
    public static let maxByBytes = 64, maxReasonBytes = 512

    init(from fields: KeyedDecodingContainer<AnyKey>) throws {
        let name = try fields.string("op")
        switch name {
        case "watch":
            try IncidentSubmission.refuseUnknown(fields, known: ["op"], prefix: "")
            self = .watch
        case "stats":
            try IncidentSubmission.refuseUnknown(fields, known: ["op"], prefix: "")
            self = .stats
        case "cancel":
            try IncidentSubmission.refuseUnknown(fields, known: ["op", "id", "by", "reason"], prefix: "")
            let key = AnyKey("id")
            guard fields.contains(key) else { throw IntakeError(field: "id", "is required: the id of the incident to cancel") }
            guard let id = try? fields.decode(UInt64.self, forKey: key), id > 0 else {
                throw IntakeError(field: "id", "must be a positive whole number (an incident id)")
            }
            let by = try fields.string("by"), reason = try fields.string("reason")
            try Self.check(by, "by", limit: Self.maxByBytes)
            try Self.check(reason, "reason", limit: Self.maxReasonBytes)
            self = .cancel(id: id, by: by, reason: reason)
        default:
            throw IntakeError(field: "op", "unknown command `\(name ?? "null")`; one of \(Self.names.joined(separator: ", "))")
        }
    }

    private static func check(_ value: String?, _ field: String, limit: Int) throws {
        guard let value else { return }
        if value.utf8.count > limit { throw IntakeError(field: field, "is \(value.utf8.count) bytes; at most \(limit)") }
        if value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw IntakeError(field: field, "must not contain control characters")
        }
    }
}
