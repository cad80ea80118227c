import Foundation
import Testing
import TenderCore
@testable import TenderService
import TenderStore
import TenderUV

/// `ref` is an idempotency key: a retried ref creates nothing and gets the original id, also
/// after a restart. With it, a client that resends after losing its connection (at-least-once)
/// gets exactly one incident per ref.
@Suite struct IncidentStoreTests {
    func incident(_ id: UInt64) -> Incident {
        Incident(id: IncidentID(id), category: .network, severity: .low, createdAt: .zero)
    }

    /// Record each (incident, ref) and return the outcomes. `close()` waits for the writer and
    /// delivers every completion, so nothing here waits on time.
    func record(_ entries: [(UInt64, String?)], in path: String) throws -> [RecordOutcome] {
        let loop = try EventLoop()
        let store = try CoordinatorStore(path: path, loop: loop)
        var outcomes: [Int: RecordOutcome] = [:]
        for (index, entry) in entries.enumerated() {
            store.record(incident(entry.0), reference: entry.1) { result in
                if case .success(let outcome) = result { outcomes[index] = outcome }
            }
        }
        store.close()
        return entries.indices.compactMap { outcomes[$0] }
    }

    @Test func aRetriedRefReturnsTheOriginalIdAndCreatesNothingAcrossARestart() throws {
        let path = NSTemporaryDirectory() + "tender-store-\(UUID().uuidString).db"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let first = try record([(1, "t-1"), (2, nil), (3, "t-1"), (4, "t-2")], in: path)
        #expect(first == [.stored, .stored, .duplicate(of: IncidentID(1)), .stored])
        // A restart: the same refs, with the fresh ids a new coordinator would give them.
        let second = try record([(5, "t-2"), (6, "t-1"), (7, "t-3")], in: path)
        #expect(second == [.duplicate(of: IncidentID(4)), .duplicate(of: IncidentID(1)), .stored])
        let loop = try EventLoop()
        let store = try CoordinatorStore(path: path, loop: loop)
        #expect(try store.openIncidents().map(\.id.rawValue) == [1, 2, 4, 7])
        store.close()
    }

    @Test func aStoreWrittenByTheFirstIncidentStoreIsAdoptedWithItsRefs() throws {
        let path = NSTemporaryDirectory() + "tender-store-\(UUID().uuidString).db"
        defer { try? FileManager.default.removeItem(atPath: path) }
        // The first store's schema, with a ref on `incidents`: adopted, its refs still honoured.
        do {
            let database = try Database(path: path)
            try database.execute("CREATE TABLE incidents (id INTEGER PRIMARY KEY, body TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'open', resolved_by TEXT, plan TEXT, concluded_at REAL, ref TEXT)")
            let body = String(decoding: try JSONEncoder().encode(incident(1)), as: UTF8.self)
            try database.run("INSERT INTO incidents (id, body, ref) VALUES (1, ?, 'old-1')", [.text(body)])
        }
        #expect(try record([(2, "old-1"), (3, "new-1"), (4, "new-1")], in: path) == [.duplicate(of: IncidentID(1)), .stored, .duplicate(of: IncidentID(3))])
    }

    @Test func theMemoryStoreIsIdempotentWithinItsCapacity() {
        let store = MemoryStore(referenceCapacity: 2)
        var outcomes: [RecordOutcome] = []
        for (id, ref) in [(1, "a"), (2, "a"), (3, "b"), (4, "c"), (5, "a"), (6, "c")] as [(UInt64, String)] {
            store.record(incident(id), reference: ref) { if case .success(let outcome) = $0 { outcomes.append(outcome) } }
        }
        // "a" fell out when "c" arrived (capacity 2); "c" is still known.
        #expect(outcomes == [.stored, .duplicate(of: IncidentID(1)), .stored, .stored, .stored, .duplicate(of: IncidentID(4))])
    }
}
