import TenderCore

/// Where incidents become durable. The coordinator acknowledges an incident only after `record`
/// reports it durable; completions always arrive on the loop thread.
public protocol IncidentStore: AnyObject {
    /// Make `incident` durable, then call `durable` on the loop thread.
    func record(_ incident: Incident, durable: @escaping (Result<Void, StoreError>) -> Void)
    /// Record how an incident's auction ended and the plan applied; fire and forget.
    func conclude(_ id: IncidentID, conclusion: String, by specialist: String?, plan: RemediationPlan?)
    /// Incidents recorded but never concluded: what a restart must finish.
    func openIncidents() throws(StoreError) -> [Incident]
    /// The first id not used by any stored incident.
    func nextIncidentID() throws(StoreError) -> UInt64
    /// Finish outstanding writes and release the store; blocks until they are durable.
    func close()
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
public final class MemoryStore: IncidentStore {
    private var next: UInt64 = 1
    public init() {}
    public func record(_ incident: Incident, durable: @escaping (Result<Void, StoreError>) -> Void) {
        durable(.success(()))
    }
    public func conclude(_ id: IncidentID, conclusion: String, by specialist: String?, plan: RemediationPlan?) {}
    public func openIncidents() throws(StoreError) -> [Incident] { [] }
    public func nextIncidentID() throws(StoreError) -> UInt64 { 1 }
    public func close() {}
}
