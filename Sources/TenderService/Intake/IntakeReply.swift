import Foundation
import TenderCore

/// The one answer every submitted incident gets.
public enum IntakeReply: Sendable, Hashable {
    /// Durable and in auction. `duplicate`: the `ref` was already stored, `id` is the incident it
    /// created then, and nothing new was created.
    case accepted(IncidentID, reference: String?, duplicate: Bool = false)
    /// Not taken; `retryable` means the same line may succeed later (overload, store trouble).
    case rejected(String, reference: String?, retryable: Bool)

    /// The reply line, carrying the ordinal of the line it answers when there is one.
    public func jsonLine(line: Int? = nil) -> String {
        IntakeReplyLine(self, line: line).encoded
    }

    public var jsonLine: String { jsonLine() }
}

/// The JSON shape of a reply: `{"ok":true,"id":N,"line":L,"ref":R}` (plus `"duplicate":true`),
/// or `{"ok":false,"error":E,"retry":B,"line":L,"ref":R}`. Absent values are left out.
struct IntakeReplyLine: Encodable {
    var ok: Bool
    var id: UInt64?
    var duplicate: Bool?
    var error: String?
    var retry: Bool?
    var line: Int?
    var ref: String?

    init(_ reply: IntakeReply, line: Int?) {
        self.line = line
        switch reply {
        case .accepted(let id, let reference, let duplicate):
            ok = true
            self.id = id.rawValue
            self.duplicate = duplicate ? true : nil
            ref = reference
        case .rejected(let reason, let reference, let retryable):
            ok = false
            error = reason
            retry = retryable
            ref = reference
        }
    }

    var encoded: String { IntakeJSON.line(self) }
}

/// One encoder configuration for every JSON line intake writes.
enum IntakeJSON {
    static func line(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            // Only non-finite doubles fail to encode; say so rather than send an empty line.
            return #"{"ok":false,"error":"reply could not be encoded","retry":false}"#
        }
    }
}
