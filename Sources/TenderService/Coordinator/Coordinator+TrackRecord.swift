import Foundation
import TenderCore
import TenderStore

/// The live track record survives restarts: every entry the engine changes (as an award ends) is
/// written through the store's group-commit writer, and a starting coordinator loads them all
/// into its engine before it can award anything. Without `--db` the record lives in memory.
extension Coordinator {
    /// Load the stored track record into the engine (from `init`, before any award).
    func restoreTrackRecord() throws {
        guard let recordStore else { return }
        let rows = try recordStore.blockingRead { database throws(StoreFailure) in try StoreReader(database: database).trackRecords() }
        guard !rows.isEmpty else { return }
        engine.importTrackRecord(Self.trackRecord(rows))
        logger.info("track record restored from the store", metadata: ["entries": "\(rows.count)"])
    }

    /// Rows as the engine's value; rows naming a category this build does not know are skipped.
    static func trackRecord(_ rows: [TrackRecordRow]) -> TrackRecord {
        let prior = TrackRecord.Entry(failureRate: ReputationSettings().priorFailure)
        var record = TrackRecord()
        for row in rows {
            guard let category = IncidentCategory(name: row.category) else { continue }
            var entries = record.specialists[row.specialist] ?? Array(repeating: prior, count: IncidentCategory.allCases.count)
            entries[category.rawValue] = TrackRecord.Entry(calibration: row.calibration, failureRate: row.failureRate,
                                                           abandonRate: row.abandonRate, observations: row.observations)
            record.specialists[row.specialist] = entries
        }
        return record
    }

    /// Write the entries changed by the event just handled; fire and forget, like every record.
    func persistTrackRecordChanges() {
        let changes = engine.takeTrackRecordChanges()
        guard !changes.isEmpty, let recordStore else { return }
        let at = Date().timeIntervalSince1970
        recordStore.submit(changes.map { change in
            .trackRecord(TrackRecordRow(specialist: change.specialist, category: change.category.name, calibration: change.entry.calibration,
                                        failureRate: change.entry.failureRate, abandonRate: change.entry.abandonRate,
                                        observations: change.entry.observations, updatedAt: at))
        })
    }
}
