import Foundation

/// How a cancel through the API ended (`POST /v1/incidents/{id}/cancel`). The live backend gets
/// it from the coordinator's one cancel path (`Coordinator.cancelIncident`, the intake's
/// `cancel` op too), so both ports answer with the same facts.
public enum CancelOutcome: Sendable, Hashable {
    /// The incident concluded `cancelled` now. `execution` says what happened to a plan being
    /// executed (`rolling_back`, `already_rolling_back`), nil if none was running.
    case cancelled(execution: String?)
    /// No incident has that id.
    case notFound
    /// It concluded earlier (`state`: resolved, escalated, cancelled, ...): nothing changed.
    case alreadyConcluded(state: String)
    /// It is stored but not yet in auction (its acknowledgement is on its way): ask again.
    case notYetOpen
    case unavailable(reason: String)
}

/// The body of a cancel's 200: `{"id":7,"state":"cancelled","execution":"rolling_back",
/// "actor":"api","reason":"false alarm"}`.
public struct CancelResult: Codable, Sendable, Hashable {
    public var id: UInt64
    /// Always `cancelled`: the incident's state once the answer is sent.
    public var state: IncidentState
    /// What happened to a plan being executed; absent when none was running.
    public var execution: String?
    /// Who cancelled it, as the audit log records it.
    public var actor: String
    public var reason: String
}

/// The optional body of a cancel: `{"reason": "false alarm", "actor": "alice"}`, both optional.
/// The bounds are the intake's `cancel` op's (`by` ≤ 64 bytes, `reason` ≤ 512, no control
/// characters), so a cancel the API takes is one the audit log takes too.
struct CancelRequest: Equatable {
    static let maxActorBytes = 64, maxReasonBytes = 512
    static let defaultActor = "api"
    static let defaultReason = "cancelled through the HTTP API"

    var actor = CancelRequest.defaultActor
    var reason = CancelRequest.defaultReason

    /// An empty body takes the defaults; anything else must be a JSON object of known fields.
    static func parse(_ body: [UInt8]) -> Result<CancelRequest, FieldErrors> {
        var request = CancelRequest()
        guard !body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) else { return .success(request) }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else {
            return .failure(FieldErrors("body", "must be empty or a JSON object like {\"reason\": \"false alarm\"}"))
        }
        var errors = FieldErrors()
        for key in object.keys.sorted() where key != "reason" && key != "actor" {
            errors.add(key, "is not a field (expected reason, actor)")
        }
        if let value = object["reason"] {
            switch check(value, limit: maxReasonBytes, allowEmpty: true) {
            case .success(let text): request.reason = text.isEmpty ? defaultReason : text
            case .failure(let message): errors.add("reason", message.text)
            }
        }
        if let value = object["actor"] {
            switch check(value, limit: maxActorBytes, allowEmpty: false) {
            case .success(let text): request.actor = text
            case .failure(let message): errors.add("actor", message.text)
            }
        }
        return errors.isEmpty ? .success(request) : .failure(errors)
    }

    /// Why one field was refused.
    struct Refusal: Error {
        var text: String
        init(_ text: String) { self.text = text }
    }

    private static func check(_ value: Any, limit: Int, allowEmpty: Bool) -> Result<String, Refusal> {
        // JSONSerialization turns true/1 into NSNumber, never String: only real strings pass.
        guard let text = value as? String else { return .failure(.init("must be a string")) }
        if !allowEmpty, text.isEmpty { return .failure(.init("must not be empty")) }
        if text.utf8.count > limit { return .failure(.init("is \(text.utf8.count) bytes; at most \(limit)")) }
        if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return .failure(.init("must not contain control characters"))
        }
        return .success(text)
    }
}
