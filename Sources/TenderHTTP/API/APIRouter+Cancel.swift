import Foundation

// `POST /v1/incidents/{id}/cancel`: the intake's `cancel` op over HTTP. A write like any other:
// it needs the token, and the router empties the read cache once it is answered.
extension APIRouter {
    /// 200 with what the cancel did, 404 for no such incident, 409 (with `state`) for one that
    /// already concluded, 400 naming `id` or the body's field, 503 while it is not yet in auction.
    func cancel(_ request: HTTPRequest, _ done: @escaping (HTTPResponse) -> Void) {
        let parts = request.path.split(separator: "/")
        let text = parts.count == 4 ? String(parts[2]) : ""
        guard let id = Self.incidentID(text) else {
            done(APIJSON.error(.badRequest, "invalid incident id", fields: FieldErrors("id", "`\(text.prefix(64))` is not an incident id (a positive number, or INC-number)")))
            return
        }
        if let type = request.header("content-type"), !request.body.isEmpty, !type.lowercased().hasPrefix("application/json") {
            done(APIJSON.error(.unsupportedMediaType, "Content-Type must be application/json, not \(type)"))
            return
        }
        let body: CancelRequest
        switch CancelRequest.parse(request.body) {
        case .success(let parsed): body = parsed
        case .failure(let errors):
            done(APIJSON.error(.badRequest, "invalid cancel", fields: errors))
            return
        }
        backend.cancel(incident: id, actor: body.actor, reason: body.reason) { outcome in
            switch outcome {
            case .cancelled(let execution):
                done(APIJSON.response(.ok, CancelResult(id: id, state: .cancelled, execution: execution, actor: body.actor, reason: body.reason)))
            case .notFound:
                done(APIJSON.error(.notFound, "no incident INC-\(id)"))
            case .alreadyConcluded(let state):
                done(Self.conflict(id, state: state))
            case .notYetOpen:
                done(APIJSON.error(.serviceUnavailable, "incident INC-\(id) is not in auction yet; retry", headers: [("Retry-After", "1")]))
            case .unavailable(let reason):
                done(APIJSON.error(.serviceUnavailable, reason, headers: [("Retry-After", "5")]))
            }
        }
    }

    /// `INC-7` or `7`; never 0 (no incident has it).
    static func incidentID(_ text: String) -> UInt64? {
        let digits = text.hasPrefix("INC-") ? text.dropFirst(4) : Substring(text)
        guard digits.allSatisfy(\.isASCII), let id = UInt64(digits), id > 0 else { return nil }
        return id
    }

    /// `{"error": "...", "state": "resolved"}`: the state is a field of its own so a client need
    /// not parse the message.
    static func conflict(_ id: UInt64, state: String) -> HTTPResponse {
        let message = "incident INC-\(id) has already concluded (\(state)); nothing to cancel"
        let text = "{\"error\":" + APIJSON.quoted(message) + ",\"state\":" + APIJSON.quoted(state) + "}"
        return HTTPResponse(status: .conflict, headers: [("Content-Type", "application/json")], body: Array(text.utf8))
    }
}
