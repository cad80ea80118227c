import Foundation
import Testing
import TenderCore
@testable import TenderService

/// Intake decoding: Codable types that refuse unknown shapes with the field at fault.
@Suite struct IntakeValidationTests {
    func error(_ line: String) -> String? {
        if case .failure(let error) = IncidentSubmission.parse(jsonLine: line) { return error.description }
        return nil
    }

    @Test func parsesEntitiesAsAListOrAnObject() throws {
        let list = try IncidentSubmission.parse(jsonLine: #"{"category":"security","severity":"critical","entities":[{"type":"ip","value":"203.0.113.7"}],"ref":"t-1"}"#).get()
        #expect(list.category == .security)
        #expect(list.severity == .critical)
        #expect(list.entities == [.ip("203.0.113.7")])
        #expect(list.reference == "t-1")
        let object = try IncidentSubmission.parse(jsonLine: #"{"category":"database","entities":{"query":"q1","user":["a","b"]}}"#).get()
        #expect(object.severity == .medium)
        #expect(object.entities == [.query("q1"), .user("a"), .user("b")])
    }

    @Test func errorsNameTheField() {
        #expect(error("[1,2]") == "not a JSON object")
        #expect(error("not json") == "not valid JSON")
        #expect(error(#"{"severity":"high"}"#)?.hasPrefix("category: is required") == true)
        #expect(error(#"{"category":"security","severity":"urgent"}"#)?.hasPrefix("severity: `urgent`") == true)
        #expect(error(#"{"category":"security","entities":[{"type":"mac","value":"x"}]}"#)?.hasPrefix("entities[0].type: `mac`") == true)
        #expect(error(#"{"category":"security","entities":[{"type":"ip"}]}"#)?.hasPrefix("entities[0].value: is required") == true)
        #expect(error(#"{"category":"security","entities":[{"type":"ip","value":7}]}"#) == "entities[0].value: must be a string")
        #expect(error(#"{"category":"security","entities":{"ip":[1]}}"#) == "entities.ip: must be a string or a list of strings")
        #expect(error(#"{"category":"security","entities":"ip"}"#)?.hasPrefix("entities: must be a list") == true)
        #expect(error(#"{"category":"security","service":5}"#) == "service: must be a string")
        #expect(error(#"{"category":"security","ref":5}"#) == "ref: must be a string")
    }

    @Test func unknownFieldsAreRefusedNotIgnored() {
        #expect(error(#"{"category":"security","severty":"high"}"#)?.hasPrefix("severty: is not a field of an incident") == true)
        #expect(error(#"{"category":"security","entities":[{"type":"ip","value":"1.2.3.4","note":"x"}]}"#)?.hasPrefix("entities[0].note: is not a field") == true)
    }

    @Test func errorsCarryTheLinesRef() {
        guard case .failure(let failure) = IncidentSubmission.parse(jsonLine: #"{"category":"weather","ref":"t-9"}"#) else {
            Issue.record("a bad category was accepted")
            return
        }
        #expect(failure.field == "category")
        #expect(failure.reference == "t-9")
    }

    @Test func commandsAreDecidedByDecodingNotByText() throws {
        #expect(try IntakeLine.parse(#"{"op":"watch"}"#).get() == .command(.watch))
        #expect(try IntakeLine.parse(#"{"op":"stats"}"#).get() == .command(.stats))
        guard case .failure(let unknown) = IntakeLine.parse(#"{"op":"reboot"}"#) else {
            Issue.record("an unknown command was accepted")
            return
        }
        #expect(unknown.field == "op")
        // An incident whose data happens to contain `"op"` is an incident (the old code looked
        // for the text `"op"` and treated this line as a command).
        let incident = try IntakeLine.parse(#"{"category":"database","entities":{"query":"SELECT \"op\" FROM t"}}"#).get()
        #expect(incident == .incident(IncidentSubmission(category: .database, severity: .medium, entities: [.query(#"SELECT "op" FROM t"#)])))
    }

    @Test func jsonLineRoundTrips() throws {
        let submission = IncidentSubmission(category: .network, severity: .high, service: "api/v1", region: "eu", entities: [.host("h"), .ip("1.2.3.4")], reference: "r")
        #expect(try IncidentSubmission.parse(jsonLine: submission.jsonLine).get() == submission)
    }

    @Test func repliesCarryTheLineOrdinalAndDuplicateFlag() throws {
        func object(_ line: String) throws -> [String: Any] {
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
        let accepted = try object(IntakeReply.accepted(IncidentID(7), reference: "t-1").jsonLine(line: 3))
        #expect(accepted["ok"] as? Bool == true)
        #expect(accepted["id"] as? Int == 7)
        #expect(accepted["line"] as? Int == 3)
        #expect(accepted["ref"] as? String == "t-1")
        #expect(accepted["duplicate"] == nil)
        let duplicate = try object(IntakeReply.accepted(IncidentID(7), reference: "t-1", duplicate: true).jsonLine(line: 4))
        #expect(duplicate["duplicate"] as? Bool == true)
        let rejected = try object(IntakeReply.rejected("overloaded", reference: nil, retryable: true).jsonLine(line: 5))
        #expect(rejected["ok"] as? Bool == false)
        #expect(rejected["retry"] as? Bool == true)
        #expect(rejected["line"] as? Int == 5)
        #expect(rejected["ref"] == nil)
    }
}
