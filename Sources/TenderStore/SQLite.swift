import CSQLite

/// A SQLite call failed: the function, SQLite's extended result code and message, and the SQL
/// it was running, so one log line says what failed where.
public struct StoreFailure: Error, Sendable, Hashable, CustomStringConvertible {
    public var function: String
    /// SQLite's extended result code (`SQLITE_CONSTRAINT_UNIQUE`, `SQLITE_BUSY_SNAPSHOT`), 0 for errors outside SQLite.
    public var code: Int32
    public var message: String
    public var sql: String?

    public init(function: String, code: Int32, message: String, sql: String? = nil) {
        self.function = function
        self.code = code
        self.message = message
        self.sql = sql
    }

    public var description: String {
        let base = "\(function) failed (\(code)): \(message)"
        return sql.map { "\(base) in `\($0)`" } ?? base
    }
}

/// A value bound to, or read from, a statement.
public enum SQLValue: Sendable, Hashable {
    case integer(Int64)
    case real(Double)
    case text(String)
    case null

    public static func optional(_ text: String?) -> SQLValue { text.map(SQLValue.text) ?? .null }
    public static func optional(_ number: Double?) -> SQLValue { number.map(SQLValue.real) ?? .null }
    public static func optional(_ number: Int64?) -> SQLValue { number.map(SQLValue.integer) ?? .null }
}

/// One SQLite connection: the only type in Tender that calls the SQLite C API. Not thread-safe;
/// each thread that needs the database opens its own.
public final class Database {
    private var handle: OpaquePointer?
    public let path: String
    private var statements: [String: Statement] = [:]

    /// Open (creating if asked) with WAL and `synchronous=FULL`: a commit that returned is on disk.
    public init(path: String, create: Bool = true, readOnly: Bool = false) throws(StoreFailure) {
        self.path = path
        var flags = SQLITE_OPEN_NOMUTEX
        flags |= readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE
        if create && !readOnly { flags |= SQLITE_OPEN_CREATE }
        let result = sqlite3_open_v2(path, &handle, flags, nil)
        guard result == SQLITE_OK else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close_v2(handle)
            handle = nil
            throw StoreFailure(function: "sqlite3_open_v2(\(path))", code: result, message: message)
        }
        sqlite3_extended_result_codes(handle, 1)
        // Another process (`tender approvals approve`) may hold the write lock for a moment.
        sqlite3_busy_timeout(handle, 5000)
        if !readOnly {
            try execute("PRAGMA journal_mode=WAL")
            try execute("PRAGMA synchronous=FULL")
        }
        try execute("PRAGMA foreign_keys=ON")
    }

    deinit {
        statements.removeAll()
        sqlite3_close_v2(handle)
    }

    /// Run SQL that returns no rows (may hold several statements).
    public func execute(_ sql: String) throws(StoreFailure) {
        let result = sqlite3_exec(handle, sql, nil, nil, nil)
        guard result == SQLITE_OK else { throw failure("sqlite3_exec", result, sql) }
    }

    /// A prepared statement, cached by its SQL for the connection's life.
    public func statement(_ sql: String) throws(StoreFailure) -> Statement {
        if let cached = statements[sql] { return cached }
        var raw: OpaquePointer?
        let result = sqlite3_prepare_v2(handle, sql, -1, &raw, nil)
        guard result == SQLITE_OK, let raw else { throw failure("sqlite3_prepare_v2", result, sql) }
        let statement = Statement(raw, sql: sql, database: self)
        statements[sql] = statement
        return statement
    }

    /// Run one statement with `values`.
    public func run(_ sql: String, _ values: [SQLValue] = []) throws(StoreFailure) {
        try statement(sql).run(values)
    }

    /// Rows of a query, each as its column values.
    public func rows(_ sql: String, _ values: [SQLValue] = []) throws(StoreFailure) -> [Row] {
        var rows: [Row] = []
        try statement(sql).query(values) { rows.append($0) }
        return rows
    }

    /// Rows changed by the last INSERT/UPDATE/DELETE.
    public var changes: Int { Int(sqlite3_changes(handle)) }

    /// Run `body` in one transaction: committed if it returns, rolled back if it throws.
    public func transaction<T>(_ body: () throws(StoreFailure) -> T) throws(StoreFailure) -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    fileprivate func failure(_ function: String, _ code: Int32, _ sql: String?) -> StoreFailure {
        StoreFailure(function: function, code: code, message: String(cString: sqlite3_errmsg(handle)), sql: sql)
    }

    /// A prepared statement, finalized when released.
    public final class Statement {
        private let raw: OpaquePointer
        private let sql: String
        private unowned let database: Database

        fileprivate init(_ raw: OpaquePointer, sql: String, database: Database) {
            self.raw = raw
            self.sql = sql
            self.database = database
        }

        deinit { sqlite3_finalize(raw) }

        private func bind(_ values: [SQLValue]) throws(StoreFailure) {
            sqlite3_reset(raw)
            sqlite3_clear_bindings(raw)
            for (offset, value) in values.enumerated() {
                let index = Int32(offset + 1)
                let result: Int32
                switch value {
                case .integer(let number): result = sqlite3_bind_int64(raw, index, number)
                case .real(let number): result = sqlite3_bind_double(raw, index, number)
                case .text(let text): result = sqlite3_bind_text(raw, index, text, -1, csqlite_transient())
                case .null: result = sqlite3_bind_null(raw, index)
                }
                guard result == SQLITE_OK else { throw database.failure("sqlite3_bind", result, sql) }
            }
        }

        /// Run a statement that returns no rows.
        public func run(_ values: [SQLValue]) throws(StoreFailure) {
            try bind(values)
            let result = sqlite3_step(raw)
            sqlite3_reset(raw)
            guard result == SQLITE_DONE else { throw database.failure("sqlite3_step", result, sql) }
        }

        /// Run a query, handing each row to `row`.
        public func query(_ values: [SQLValue], _ row: (Row) throws(StoreFailure) -> Void) throws(StoreFailure) {
            try bind(values)
            defer { sqlite3_reset(raw) }
            while true {
                let result = sqlite3_step(raw)
                if result == SQLITE_DONE { return }
                guard result == SQLITE_ROW else { throw database.failure("sqlite3_step", result, sql) }
                let count = sqlite3_column_count(raw)
                var values: [SQLValue] = []
                values.reserveCapacity(Int(count))
                for column in 0..<count {
                    switch sqlite3_column_type(raw, column) {
                    case SQLITE_INTEGER: values.append(.integer(sqlite3_column_int64(raw, column)))
                    case SQLITE_FLOAT: values.append(.real(sqlite3_column_double(raw, column)))
                    case SQLITE_NULL: values.append(.null)
                    default:
                        // Text then its length (SQLite's order): decoded without a strlen.
                        let bytes = sqlite3_column_text(raw, column)
                        let count = Int(sqlite3_column_bytes(raw, column))
                        values.append(.text(bytes.map { String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self) } ?? ""))
                    }
                }
                try row(Row(values: values))
            }
        }
    }
}

/// One result row's values, read by column index.
public struct Row: Sendable {
    public let values: [SQLValue]

    public func integer(_ column: Int) -> Int64? {
        switch values[column] {
        case .integer(let value): value
        case .real(let value): Int64(value)
        default: nil
        }
    }

    public func real(_ column: Int) -> Double? {
        switch values[column] {
        case .integer(let value): Double(value)
        case .real(let value): value
        default: nil
        }
    }

    public func text(_ column: Int) -> String? {
        if case .text(let value) = values[column] { return value }
        return nil
    }
}
