import TenderCore

/// Where incidents become durable. The coordinator acknowledges an incident only after `record`
/// reports it durable; completions always arrive on the loop thread.
public protocol IncidentStore: AnyObject {
    /// Make `incident` durable under the sender's idempotency key `reference` (unique when not
    /// nil), then call `durable` on the loop thread. If an incident with that key is already
    /// stored, nothing is written and `durable` gets `.duplicate(of:)` with its id: a sender that
    /// retries after a lost reply (a reconnect, a coordinator restart) gets the original id.
    func record(_ incident: Incident, reference: String?, durable: @escaping (Result<RecordOutcome, StoreError>) -> Void)
    /// Record how an incident's auction ended and the plan applied; fire and forget.
    func conclude(_ id: IncidentID, conclusion: String, by specialist: String?, plan: RemediationPlan?)
    /// Incidents recorded but never concluded: what a restart must finish.
    func openIncidents() throws(StoreError) -> [Incident]
    /// The first id not used by any stored incident.
    func nextIncidentID() throws(StoreError) -> UInt64
    /// Finish outstanding writes and release the store; blocks until they are durable.
    func close()
}

/// What `record` did with an incident.
public enum RecordOutcome: Sendable, Hashable {
    /// Written and durable.
    case stored
    /// Its reference was already stored: nothing was written; the id is the original incident's.
    case duplicate(of: IncidentID)
}

/// A store failure with the function that failed and the library's message.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public var function: String
    public var code: Int32
    public var message: String

    public init(function: String, code: Int32, message: String) {
        self.function = function
        self.code = code
        self.message = message
    }

    public var description: String { "\(function) failed (\(code)): \(message)" }
}

/// No durability at all: for benchmarks and demos run without `--db`. Acknowledges at once.
/// References are remembered for the life of the process (the most recent `referenceCapacity`),
/// so retries are idempotent here too, short of a restart.
public final class MemoryStore: IncidentStore {
    private var references: [String: IncidentID] = [:]
    private var referenceOrder: [String] = []
    private var referenceStart = 0
    let referenceCapacity: Int

    public init(referenceCapacity: Int = 1_000_000) { self.referenceCapacity = referenceCapacity }

    public func record(_ incident: Incident, reference: String?, durable: @escaping (Result<RecordOutcome, StoreError>) -> Void) {
        guard let reference else { return durable(.success(.stored)) }
        if let original = references[reference] { return durable(.success(.duplicate(of: original))) }
        references[reference] = incident.id
        referenceOrder.append(reference)
        if referenceOrder.count - referenceStart > referenceCapacity {
            references[referenceOrder[referenceStart]] = nil
            referenceStart += 1
            if referenceStart > referenceCapacity {
                referenceOrder.removeFirst(referenceStart)
                referenceStart = 0
            }
        }
        durable(.success(.stored))
    }
    public func conclude(_ id: IncidentID, conclusion: String, by specialist: String?, plan: RemediationPlan?) {}
    public func openIncidents() throws(StoreError) -> [Incident] { [] }
    public func nextIncidentID() throws(StoreError) -> UInt64 { 1 }
    public func close() {}
}
