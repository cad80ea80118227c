import TenderCore
import Foundation
import Testing
@testable import TenderService

/// `tender submit`'s decisions, without sockets (issue 8, defect 6).
@Suite struct SubmitLedgerTests {
    static let incident = #"{"category":"network"}"#

    func reply(_ json: String) throws -> SubmitLedger.Reply {
        try JSONDecoder().decode(SubmitLedger.Reply.self, from: Data(json.utf8))
    }

    func refs(_ lines: [String]) -> [String?] {
        lines.map { line in
            guard case .success(.incident(let submission)) = IntakeLine.parse(line) else { return nil }
            return submission.reference
        }
    }

    @Test func commandLinesAreRefusedLocallyInsteadOfHangingAndBlankLinesSkipped() {
        var ledger = SubmitLedger(lines: [Self.incident, #"{"op":"watch"}"#, "", Self.incident], runID: "r")
        #expect(ledger.localFailures.map(\.inputLine) == [2])
        #expect(ledger.total == 3)
        #expect(ledger.nextToSend(window: 10).count == 2)
    }

    @Test func everyIncidentGetsARefUniqueToTheRunAndOwnRefsAreKept() {
        var ledger = SubmitLedger(lines: [Self.incident, #"{"category":"network","ref":"mine"}"#, Self.incident], runID: "run7")
        #expect(refs(ledger.nextToSend(window: 10)) == ["run7-1", "mine", "run7-3"])
    }

    @Test func aNonJSONLineIsSentAsItIsAndItsErrorMatchedByOrdinal() throws {
        var ledger = SubmitLedger(lines: ["not json", Self.incident], runID: "r")
        #expect(ledger.nextToSend(window: 10).first == "not json")
        guard case .failed(let entry, let reason) = ledger.received(try reply(#"{"ok":false,"error":"not valid JSON","retry":false,"line":1}"#)) else {
            Issue.record("the error reply was not matched to its line")
            return
        }
        #expect(entry.inputLine == 1)
        #expect(reason == "not valid JSON")
        #expect(ledger.received(try reply(#"{"ok":true,"id":9,"line":2,"ref":"r-2"}"#)) == .accepted(SubmitLedger.Entry(inputLine: 2, text: IncidentSubmission(category: .network, severity: .medium, reference: "r-2").jsonLine, reference: "r-2"), id: 9, duplicate: false))
        #expect(ledger.isSettled)
    }

    @Test func overloadedLinesAreRetriedInInputOrderAheadOfFreshOnesAndNeverDropped() throws {
        var ledger = SubmitLedger(lines: Array(repeating: Self.incident, count: 5), runID: "r")
        #expect(ledger.nextToSend(window: 3).count == 3)
        #expect(ledger.received(try reply(#"{"ok":false,"error":"overloaded","retry":true,"line":3}"#)) != .other)
        #expect(ledger.received(try reply(#"{"ok":false,"error":"overloaded","retry":true,"line":2}"#)) != .other)
        _ = ledger.received(try reply(#"{"ok":true,"id":1,"line":1}"#))
        // Lines 2 and 3 again (ordinals 4, 5 on this connection), then the fresh 4 and 5.
        #expect(refs(ledger.nextToSend(window: 10)) == ["r-2", "r-3", "r-4", "r-5"])
        #expect(ledger.pendingCount == 0)
        #expect(ledger.inFlightCount == 4)
        for ordinal in 4...7 { _ = ledger.received(try reply(#"{"ok":true,"id":\#(ordinal),"line":\#(ordinal)}"#)) }
        #expect(ledger.isSettled)
    }

    @Test func aLostConnectionResendsTheUnansweredUnderTheSameRefsAndADuplicateIsAccepted() throws {
        var ledger = SubmitLedger(lines: Array(repeating: Self.incident, count: 3), runID: "r")
        ledger.connected(reservingWatch: true)
        #expect(ledger.nextToSend(window: 10).count == 3)
        // Line 1 (ordinal 2, after the watch command) was acknowledged; the coordinator died
        // with lines 2 and 3 stored but their acknowledgements never sent.
        _ = ledger.received(try reply(#"{"ok":true,"id":1,"line":2}"#))
        ledger.connectionLost()
        #expect(ledger.pendingCount == 2)
        ledger.connected(reservingWatch: true)
        #expect(refs(ledger.nextToSend(window: 10)) == ["r-2", "r-3"])
        guard case .accepted(let entry, let id, let duplicate) = ledger.received(try reply(#"{"ok":true,"id":2,"line":2,"duplicate":true}"#)) else {
            Issue.record("a duplicate acknowledgement was not accepted")
            return
        }
        #expect(entry.inputLine == 2)
        #expect(id == 2)
        #expect(duplicate)
    }

    @Test func watchAcknowledgementsAndEventsAreNotReplies() throws {
        var ledger = SubmitLedger(lines: [Self.incident], runID: "r")
        ledger.connected(reservingWatch: true)
        _ = ledger.nextToSend(window: 1)
        #expect(ledger.received(try reply(#"{"ok":true,"watching":true,"line":1}"#)) == .other)
        #expect(ledger.received(try reply(#"{"event":"concluded","id":1,"line":2}"#)) == .other)
        #expect(ledger.inFlightCount == 1)
    }
}
