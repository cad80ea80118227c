import Foundation
import Testing
import TenderCore
import TenderExecutor
@testable import TenderService

/// `{"op":"cancel","id":N}` on the intake port: decoded field by field, and answered with a reply
/// that says what happened.
@Suite struct IntakeCancelTests {
    func field(_ line: String) -> String? {
        if case .failure(let error) = IntakeLine.parse(line) { return error.field ?? "?" }
        return nil
    }

    @Test func aCancelCarriesItsIdAndOptionallyWhoAndWhy() throws {
        #expect(try IntakeLine.parse(#"{"op":"cancel","id":12}"#).get() == .command(.cancel(id: 12, by: nil, reason: nil)))
        #expect(try IntakeLine.parse(#"{"op":"cancel","id":12,"by":"alice","reason":"false alarm"}"#).get()
            == .command(.cancel(id: 12, by: "alice", reason: "false alarm")))
    }

    @Test func badCancelsNameTheField() {
        #expect(field(#"{"op":"cancel"}"#) == "id")
        #expect(field(#"{"op":"cancel","id":0}"#) == "id")
        #expect(field(#"{"op":"cancel","id":-3}"#) == "id")
        #expect(field(#"{"op":"cancel","id":"INC-3"}"#) == "id")
        #expect(field(#"{"op":"cancel","id":3,"why":"x"}"#) == "why")
        #expect(field(#"{"op":"cancel","id":3,"by":7}"#) == "by")
        #expect(field(#"{"op":"cancel","id":3,"reason":"a\nb"}"#) == "reason")
        #expect(field(#"{"op":"cancel","id":3,"reason":"\#(String(repeating: "x", count: 513))"}"#) == "reason")
        // Watch and stats still take no other field.
        #expect(field(#"{"op":"watch","id":3}"#) == "id")
    }

    @Test func repliesSayWhatHappened() throws {
        func object(_ reply: CancelReply) throws -> [String: Any] {
            let line = IntakeJSON.line(CancelReplyLine(reply, id: 9, line: 4))
            return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
        let stopped = try object(.cancelled(execution: .rollingBack))
        #expect(stopped["ok"] as? Bool == true && stopped["cancelled"] as? Bool == true)
        #expect(stopped["execution"] as? String == "rolling_back")
        #expect(stopped["id"] as? Int == 9 && stopped["line"] as? Int == 4)
        let auctioning = try object(.cancelled(execution: nil))
        #expect(auctioning["execution"] == nil)
        let late = try object(.notOpen(state: "resolved"))
        #expect(late["ok"] as? Bool == false && late["retry"] as? Bool == false && late["state"] as? String == "resolved")
        #expect(late["error"] as? String == "id: incident 9 has already concluded (resolved); nothing to cancel")
        #expect(try object(.notOpen(state: nil))["error"] as? String == "id: no incident 9")
        #expect(try object(.notYetOpen)["retry"] as? Bool == true)
    }
}
