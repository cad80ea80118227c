import CSQLite

/// Reads a coordinator's SQLite file directly, to check what was made durable.
enum StoreInspection {
    static func statuses(_ path: String) throws -> [Int64: String] {
        var db: OpaquePointer?
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, nil) == SQLITE_OK else { throw LiveTestError("cannot open \(path)") }
        defer { sqlite3_close(db) }
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(db, "SELECT id, status FROM incidents", -1, &statement, nil) == SQLITE_OK else { throw LiveTestError("cannot query \(path)") }
        defer { sqlite3_finalize(statement) }
        var rows: [Int64: String] = [:]
        while sqlite3_step(statement) == SQLITE_ROW {
            rows[sqlite3_column_int64(statement, 0)] = String(cString: sqlite3_column_text(statement, 1))
        }
        return rows
    }
}
