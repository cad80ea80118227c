import Foundation
import TenderCore

/// The body of `POST /v1/incidents`: one incident object or an array of them. Each is decoded by
/// `IncidentSubmission` and bounded by `IncidentLimits`, the same code the JSON-lines intake runs,
/// so both paths accept the same incidents and refuse the rest with the same messages.
enum IncidentBatch {
    static func parse(_ body: [UInt8], maxBatch: Int, limits: IncidentLimits) -> Result<[IncidentSubmission], FieldErrors> {
        // The first significant byte says which shape it is, so the body is decoded once.
        guard let first = body.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) else {
            return .failure(FieldErrors("body", "is empty: send an incident object or an array of them"))
        }
        let decoder = JSONDecoder()
        let items: [Item]
        let batch = first == UInt8(ascii: "[")
        do {
            if batch {
                items = try decoder.decode([Item].self, from: Data(body))
            } else if first == UInt8(ascii: "{") {
                items = [try decoder.decode(Item.self, from: Data(body))]
            } else {
                return .failure(FieldErrors("body", "must be an incident object or an array of them"))
            }
        } catch {
            return .failure(FieldErrors("body", "is not valid JSON"))
        }
        guard !items.isEmpty else { return .failure(FieldErrors("body", "is an empty array")) }
        guard items.count <= maxBatch else { return .failure(FieldErrors("body", "has \(items.count) incidents; at most \(maxBatch) per request")) }
        var submissions: [IncidentSubmission] = []
        submissions.reserveCapacity(items.count)
        var errors = FieldErrors()
        for (index, item) in items.enumerated() {
            let prefix = batch ? "[\(index)]" : ""
            switch item.result.flatMap({ submission in limits.violation(in: submission).map { .failure($0) } ?? .success(submission) }) {
            case .success(let submission): submissions.append(submission)
            case .failure(let error):
                let field = error.field.map { prefix.isEmpty ? $0 : "\(prefix).\($0)" } ?? (prefix.isEmpty ? "body" : prefix)
                errors.add(field, error.message)
            }
        }
        return errors.isEmpty ? .success(submissions) : .failure(errors)
    }

    /// One element: the incident, or why it is not one (kept, so every element's error is told).
    private struct Item: Decodable {
        var result: Result<IncidentSubmission, IntakeError>
        init(from decoder: Decoder) throws {
            do {
                result = .success(try IncidentSubmission(from: decoder))
            } catch let error as IntakeError {
                result = .failure(error)
            } catch {
                result = .failure(IntakeError(field: nil, "must be an incident object"))
            }
        }
    }
}
