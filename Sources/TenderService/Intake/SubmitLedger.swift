import TenderCore
import Foundation

/// The bookkeeping of `tender submit`, without sockets or timers: which input lines are waiting,
/// which are on the wire under which connection ordinal, and what each reply means.
///
/// The contract it implements (docs/PROTOCOL.md §5): every incident line carries a `ref` (the
/// sender's own, or `<run>-<line>` made unique per run), so it can be sent again without risk:
/// after "overloaded", after a lost connection, after a coordinator restart. A ref already stored
/// is answered with the original id and `"duplicate": true`. At-least-once sending plus an
/// idempotent ref gives exactly one incident per line. No line is dropped: each ends accepted,
/// refused for good (reported), or still pending when the time runs out (reported).
public struct SubmitLedger {
    /// One input line to submit.
    public struct Entry: Sendable, Hashable {
        /// 1-based line number in the input.
        public var inputLine: Int
        /// The text sent (with the ref added when it had none).
        public var text: String
        public var reference: String?
    }

    /// A reply or event line from the intake port.
    public struct Reply: Decodable, Sendable, Hashable {
        public var ok: Bool?
        public var id: UInt64?
        public var line: Int?
        public var ref: String?
        public var error: String?
        public var retry: Bool?
        public var duplicate: Bool?
        public var event: String?
        public var watching: Bool?
    }

    /// What a reply means for the line it answers.
    public enum Outcome: Sendable, Hashable {
        /// Durable; `duplicate` when the ref was stored before (an earlier send got through).
        case accepted(Entry, id: UInt64, duplicate: Bool)
        /// Refused for now (overloaded, shutting down, store trouble): queued again.
        case retry(Entry, reason: String)
        /// Refused for good: the line itself is wrong.
        case failed(Entry, reason: String)
        /// A reply to nothing in flight, a watch acknowledgement, or a conclusion event.
        case other
    }

    /// Lines refused before sending (commands in the input), with why.
    public private(set) var localFailures: [(inputLine: Int, reason: String)] = []
    /// Lines never sent yet, in input order.
    private var fresh: [Entry] = []
    private var freshStart = 0
    /// Lines sent and to be sent again, in input order. Every one of them comes before every
    /// fresh line in the input (they were sent first), so taking these first keeps input order.
    private var again: [Entry] = []
    /// Lines sent on the current connection, by the ordinal the coordinator numbers them with.
    private var inFlight: [Int: Entry] = [:]
    private var nextOrdinal = 1
    /// Lines in the input that are incidents (or claim to be).
    public let total: Int

    /// `runID` makes generated refs unique to this run, so that running the same file twice
    /// submits twice, while retries within the run are idempotent.
    public init(lines: [String], runID: String) {
        var entries: [Entry] = []
        for (index, text) in lines.enumerated() where !text.allSatisfy(\.isWhitespace) {
            let number = index + 1
            switch IntakeLine.parse(text, limits: IncidentLimits(unbounded: ())) {
            case .success(.command(let command)):
                localFailures.append((number, "`{\"op\":\"\(command.name)\"}` is a command, not an incident; not sent"))
            case .success(.incident(var submission)):
                if submission.reference == nil { submission.reference = "\(runID)-\(number)" }
                entries.append(Entry(inputLine: number, text: submission.jsonLine, reference: submission.reference))
            case .failure:
                // Sent as it is: the coordinator is the judge, and its reply names the field.
                entries.append(Entry(inputLine: number, text: text, reference: nil))
            }
        }
        fresh = entries
        total = entries.count + localFailures.count
    }

    public var pendingCount: Int { fresh.count - freshStart + again.count }
    public var inFlightCount: Int { inFlight.count }
    /// Every line sent has its final answer.
    public var isSettled: Bool { pendingCount == 0 && inFlight.isEmpty }

    /// A new connection: ordinals start again at 1. `reservingWatch`: the first line sent on it is
    /// the `{"op":"watch"}` command, which takes ordinal 1.
    public mutating func connected(reservingWatch: Bool) {
        nextOrdinal = reservingWatch ? 2 : 1
    }

    /// The connection is gone: whatever was on it goes back to the front of the queue, in input
    /// order, to be sent again on the next connection (its ref makes that safe).
    public mutating func connectionLost() {
        let unanswered = inFlight.values.sorted { $0.inputLine < $1.inputLine }
        inFlight.removeAll()
        requeue(unanswered)
    }

    /// The next lines to write, keeping at most `window` unanswered.
    public mutating func nextToSend(window: Int) -> [String] {
        var lines: [String] = []
        var retried = 0
        while inFlight.count < window {
            let entry: Entry
            if retried < again.count {
                entry = again[retried]
                retried += 1
            } else if freshStart < fresh.count {
                entry = fresh[freshStart]
                freshStart += 1
            } else {
                break
            }
            inFlight[nextOrdinal] = entry
            nextOrdinal += 1
            lines.append(entry.text)
        }
        again.removeFirst(retried)
        if freshStart > 4096, freshStart * 2 > fresh.count {
            fresh.removeFirst(freshStart)
            freshStart = 0
        }
        return lines
    }

    /// Interpret one line received from the coordinator.
    public mutating func received(_ reply: Reply) -> Outcome {
        guard reply.event == nil, reply.watching == nil, let ordinal = reply.line, let entry = inFlight.removeValue(forKey: ordinal) else {
            return .other
        }
        if reply.ok == true, let id = reply.id {
            return .accepted(entry, id: id, duplicate: reply.duplicate == true)
        }
        let reason = reply.error ?? "refused without a reason"
        if reply.retry == true {
            requeue([entry])
            return .retry(entry, reason: reason)
        }
        return .failed(entry, reason: reason)
    }

    private mutating func requeue(_ entries: [Entry]) {
        for entry in entries {
            // Binary insertion: retries arrive nearly in order, the list stays short.
            var low = 0, high = again.count
            while low < high {
                let middle = (low + high) / 2
                if again[middle].inputLine < entry.inputLine { low = middle + 1 } else { high = middle }
            }
            again.insert(entry, at: low)
        }
    }
}

extension IncidentLimits {
    /// No bounds: `submit` leaves judging sizes to the coordinator, whose limits may differ.
    init(unbounded: Void) {
        self.init()
        maxEntities = .max
        maxEntityValueBytes = .max
        maxEntityBytes = .max
        maxServiceBytes = .max
        maxRegionBytes = .max
        maxReferenceBytes = .max
    }
}
