import Foundation

/// The API's one JSON encoder: snake_case keys, sorted so responses are stable to compare.
enum APIJSON {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }()

    /// A JSON response. Encoding the API's own value types cannot fail; if it ever does, the
    /// client gets a 500 that says what failed instead of a half-written body.
    static func response<T: Encodable>(_ status: HTTPStatus, _ value: T, headers: [(name: String, value: String)] = []) -> HTTPResponse {
        do {
            let body = try encoder.encode(value)
            return HTTPResponse(status: status, headers: [("Content-Type", "application/json")] + headers, body: Array(body))
        } catch let failure {
            return Self.error(.internalServerError, "could not encode the response: \(failure)")
        }
    }

    /// `{"error": message, "fields": [{"field", "message"}...]}`.
    static func error(_ status: HTTPStatus, _ message: String, fields: FieldErrors? = nil, headers: [(name: String, value: String)] = []) -> HTTPResponse {
        var text = "{\"error\":" + quoted(message)
        if let fields {
            text += ",\"fields\":[" + fields.errors.map { "{\"field\":" + quoted($0.field) + ",\"message\":" + quoted($0.message) + "}" }.joined(separator: ",") + "]"
        }
        text += "}"
        return HTTPResponse(status: status, headers: [("Content-Type", "application/json")] + headers, body: Array(text.utf8))
    }

    /// A JSON string literal.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
