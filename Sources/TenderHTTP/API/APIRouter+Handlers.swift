import Foundation
import TenderCore

// The /v1 handlers that validate input: each turns a request into backend calls or a 400 that
// names the field.
extension APIRouter {
    func submit(_ request: HTTPRequest, _ done: @escaping (HTTPResponse) -> Void) {
        if let type = request.header("content-type"), !type.lowercased().hasPrefix("application/json") {
            done(APIJSON.error(.unsupportedMediaType, "Content-Type must be application/json, not \(type)"))
            return
        }
        switch IncidentBatch.parse(request.body, maxBatch: maxBatch, limits: incidentLimits) {
        case .failure(let errors):
            done(APIJSON.error(.badRequest, "invalid incident", fields: errors))
        case .success(let submissions):
            backend.submit(submissions) { outcome in
                switch outcome {
                case .accepted(let incidents):
                    done(Self.acceptedResponse(incidents))
                case .overloaded(let seconds, let reason):
                    done(APIJSON.error(.tooManyRequests, reason, headers: [("Retry-After", String(max(1, seconds)))]))
                case .unavailable(let reason):
                    done(APIJSON.error(.serviceUnavailable, reason, headers: [("Retry-After", "5")]))
                case .invalid(let errors):
                    done(APIJSON.error(.badRequest, "invalid incident", fields: errors))
                }
            }
        }
    }

    /// `{"incidents":[{"id":1,"reference":"x"}]}`, written directly: the hottest write path, where
    /// JSONEncoder cost more than everything else in the request.
    static func acceptedResponse(_ incidents: [AcceptedIncident]) -> HTTPResponse {
        var text = "{\"incidents\":["
        for (index, incident) in incidents.enumerated() {
            if index > 0 { text += "," }
            text += "{\"id\":\(incident.id)"
            if let reference = incident.reference { text += ",\"reference\":" + APIJSON.quoted(reference) }
            text += "}"
        }
        text += "]}"
        return HTTPResponse(status: .accepted, contentType: "application/json", body: Array(text.utf8))
    }

    func listIncidents(_ request: HTTPRequest) -> HTTPResponse {
        var errors = FieldErrors()
        var query = IncidentQuery()
        if let state = request.query["state"] {
            query.state = IncidentState(rawValue: state)
            if query.state == nil { errors.add("state", "`\(state)` is not one of \(IncidentState.allCases.map(\.rawValue).joined(separator: ", "))") }
        }
        if let category = request.query["category"] {
            query.category = IncidentCategory(name: category)
            if query.category == nil { errors.add("category", "`\(category)` is not one of \(IncidentCategory.allCases.map(\.name).joined(separator: ", "))") }
        }
        switch limit(request, default: 50, max: 500) {
        case .success(let limit): query.limit = limit
        case .failure(let more): errors.errors += more.errors
        }
        if let cursor = request.query["cursor"] {
            if cursor.isEmpty || cursor.count > 64 || !cursor.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) {
                errors.add("cursor", "is not a cursor this server issued (pass `next_cursor` from the previous page)")
            } else {
                query.cursor = cursor
            }
        }
        guard errors.isEmpty else { return APIJSON.error(.badRequest, "invalid query", fields: errors) }
        return APIJSON.response(.ok, backend.incidents(matching: query))
    }

    func limit(_ request: HTTPRequest, default value: Int, max: Int) -> Result<Int, FieldErrors> {
        guard let text = request.query["limit"] else { return .success(value) }
        guard let limit = Int(text), (1...max).contains(limit) else { return .failure(FieldErrors("limit", "must be an integer from 1 to \(max)")) }
        return .success(limit)
    }

    func timeline(_ request: HTTPRequest) -> HTTPResponse {
        let text = String(request.path.split(separator: "/").last ?? "")
        let digits = text.hasPrefix("INC-") ? String(text.dropFirst(4)) : text
        guard let id = UInt64(digits) else {
            return APIJSON.error(.badRequest, "invalid incident id", fields: FieldErrors("id", "`\(text)` is not an incident id (a number, or INC-number)"))
        }
        guard let timeline = backend.timeline(of: id) else { return APIJSON.error(.notFound, "no incident INC-\(id)") }
        return APIJSON.response(.ok, timeline)
    }

    /// `POST /v1/approvals/{id}/approve|deny`, optional body `{"actor": "alice"}`.
    func decide(_ route: Route, _ request: HTTPRequest, _ done: @escaping (HTTPResponse) -> Void) {
        let parts = request.path.split(separator: "/")
        guard parts.count == 4, let decision = ApprovalDecision(rawValue: String(parts[3])) else {
            done(APIJSON.error(.notFound, "no such resource: \(request.path)"))
            return
        }
        let id = String(parts[2])
        guard id.count <= 128 else {
            done(APIJSON.error(.badRequest, "invalid approval id", fields: FieldErrors("id", "is longer than 128 characters")))
            return
        }
        var actor = "api"
        if !request.body.isEmpty {
            let object = (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any]
            guard let object else {
                done(APIJSON.error(.badRequest, "invalid decision", fields: FieldErrors("body", "must be empty or a JSON object like {\"actor\": \"alice\"}")))
                return
            }
            var errors = FieldErrors()
            for key in object.keys.sorted() where key != "actor" { errors.add(key, "is not a field (expected actor)") }
            if let value = object["actor"] {
                if let name = value as? String, !name.isEmpty, name.utf8.count <= 64 {
                    actor = name
                } else {
                    errors.add("actor", "must be a string of 1 to 64 bytes")
                }
            }
            guard errors.isEmpty else {
                done(APIJSON.error(.badRequest, "invalid decision", fields: errors))
                return
            }
        }
        backend.decide(approval: id, decision, actor: actor) { outcome in
            switch outcome {
            case .recorded(let item): done(APIJSON.response(.ok, item))
            case .notFound: done(APIJSON.error(.notFound, "no approval \(id)"))
            case .alreadyDecided(let item): done(APIJSON.error(.conflict, "approval \(id) is already \(item.state.rawValue)"))
            case .unavailable(let reason): done(APIJSON.error(.serviceUnavailable, reason, headers: [("Retry-After", "5")]))
            }
        }
    }
}
