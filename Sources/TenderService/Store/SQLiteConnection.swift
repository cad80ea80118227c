import CSQLite

/// One SQLite connection: the only place in the service that calls the SQLite C API.
/// Not thread-safe; the store's writer thread owns its connection, and reads at startup happen
/// before that thread starts.
final class SQLiteConnection {
    private var db: OpaquePointer?
    let path: String

    init(path: String) throws(StoreError) {
        self.path = path
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let result = sqlite3_open_v2(path, &db, flags, nil)
        guard result == SQLITE_OK else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close(db)
            db = nil
            throw StoreError(function: "sqlite3_open_v2(\(path))", code: result, message: message)
        }
        sqlite3_extended_result_codes(db, 1)
    }

    deinit { sqlite3_close(db) }

    func execute(_ sql: String) throws(StoreError) {
        let result = sqlite3_exec(db, sql, nil, nil, nil)
        guard result == SQLITE_OK else { throw error("sqlite3_exec", result, sql) }
    }

    func prepare(_ sql: String) throws(StoreError) -> Statement {
        var statement: OpaquePointer?
        let result = sqlite3_prepare_v2(db, sql, -1, &statement, nil)
        guard result == SQLITE_OK, let statement else { throw error("sqlite3_prepare_v2", result, sql) }
        return Statement(statement, connection: self)
    }

    func error(_ function: String, _ code: Int32, _ sql: String? = nil) -> StoreError {
        let message = String(cString: sqlite3_errmsg(db))
        return StoreError(function: function, code: code, message: sql.map { "\(message) in `\($0)`" } ?? message)
    }

    /// A prepared statement, finalized when released.
    final class Statement {
        private let handle: OpaquePointer
        private unowned let connection: SQLiteConnection

        init(_ handle: OpaquePointer, connection: SQLiteConnection) {
            self.handle = handle
            self.connection = connection
        }

        deinit { sqlite3_finalize(handle) }

        func bind(_ values: [SQLValue]) throws(StoreError) {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
            for (offset, value) in values.enumerated() {
                let index = Int32(offset + 1)
                let result: Int32
                switch value {
                case .integer(let number): result = sqlite3_bind_int64(handle, index, number)
                case .real(let number): result = sqlite3_bind_double(handle, index, number)
                case .text(let text): result = sqlite3_bind_text(handle, index, text, -1, csqlite_transient())
                case .null: result = sqlite3_bind_null(handle, index)
                }
                guard result == SQLITE_OK else { throw connection.error("sqlite3_bind", result) }
            }
        }

        /// Run a statement that returns no rows.
        func run(_ values: [SQLValue]) throws(StoreError) {
            try bind(values)
            let result = sqlite3_step(handle)
            guard result == SQLITE_DONE else { throw connection.error("sqlite3_step", result) }
        }

        /// Run a query, handing each row to `row`.
        func query(_ values: [SQLValue] = [], _ row: (Row) throws(StoreError) -> Void) throws(StoreError) {
            try bind(values)
            while true {
                let result = sqlite3_step(handle)
                if result == SQLITE_DONE { return }
                guard result == SQLITE_ROW else { throw connection.error("sqlite3_step", result) }
                try row(Row(handle: handle))
            }
        }
    }

    struct Row {
        let handle: OpaquePointer
        func integer(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }
        func text(_ column: Int32) -> String? {
            guard let pointer = sqlite3_column_text(handle, column) else { return nil }
            return String(cString: pointer)
        }
    }
}

enum SQLValue {
    case integer(Int64)
    case real(Double)
    case text(String)
    case null
}
