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

/// A command on an intake connection (`{"op":"watch"}`, `{"op":"stats"}`).
public enum IntakeCommand: String, Sendable, Hashable, CaseIterable {
    /// Stream a line for every concluded incident on this connection.
    case watch
    /// One line with the coordinator's counters.
    case stats

    init(from fields: KeyedDecodingContainer<AnyKey>) throws {
        try IncidentSubmission.refuseUnknown(fields, known: ["op"], prefix: "")
        let name = try fields.string("op")
        guard let name, let command = IntakeCommand(rawValue: name) else {
            throw IntakeError(field: "op", "unknown command `\(name ?? "null")`; one of \(Self.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self = command
    }
}
