import TenderCore
import TenderExecutor

/// The reply to `{"op":"cancel","id":N}`: `{"cancelled":true,"id":N,"line":L,"ok":true}` (with
/// `"execution":"rolling_back"` when a plan being executed was stopped and is being undone), or
/// an error naming `id` that says why nothing changed.
struct CancelReplyLine: Encodable {
    var ok: Bool
    var id: UInt64
    var line: Int
    var cancelled: Bool?
    var execution: String?
    var error: String?
    var state: String?
    var retry: Bool?

    init(_ reply: CancelReply, id: UInt64, line: Int) {
        self.id = id
        self.line = line
        switch reply {
        case .cancelled(let execution):
            ok = true
            cancelled = true
            self.execution = execution?.rawValue
        case .notOpen(let state?):
            ok = false
            self.state = state
            error = "id: incident \(id) has already concluded (\(state)); nothing to cancel"
            retry = false
        case .notOpen(nil):
            ok = false
            error = "id: no incident \(id)"
            retry = false
        case .notYetOpen:
            ok = false
            error = "id: incident \(id) is not in auction yet"
            retry = true
        }
    }
}
