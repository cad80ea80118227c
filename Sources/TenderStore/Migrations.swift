import Foundation

/// One named schema change. Applied once, in one transaction, and recorded by id in
/// `schema_migrations`, so an older database upgrades step by step and a newer one is refused.
public struct Migration: Sendable {
    public var id: String
    public var sql: String

    public init(_ id: String, _ sql: String) {
        self.id = id
        self.sql = sql
    }
}

/// Applies an ordered list of migrations to a database.
public enum Migrator {
    /// Apply every migration of `migrations` not yet recorded; returns the ids applied now.
    /// A database that records a migration this build does not know was written by a newer
    /// Tender: refuse it rather than guess.
    @discardableResult
    public static func migrate(_ database: Database, _ migrations: [Migration] = Schema.migrations) throws(StoreFailure) -> [String] {
        try database.execute("CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at REAL NOT NULL)")
        let applied = Set(try database.rows("SELECT id FROM schema_migrations").compactMap { $0.text(0) })
        let known = Set(migrations.map(\.id))
        if let unknown = applied.subtracting(known).sorted().first {
            throw StoreFailure(function: "Migrator.migrate", code: 0, message: "\(database.path) has migration `\(unknown)`, which this build does not know; it was written by a newer tender")
        }
        var now: [String] = []
        for migration in migrations where !applied.contains(migration.id) {
            try database.transaction { () throws(StoreFailure) in
                try database.execute(migration.sql)
                try database.run("INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)", [.text(migration.id), .real(Date().timeIntervalSince1970)])
            }
            now.append(migration.id)
        }
        return now
    }

    /// Ids recorded as applied, in application order.
    public static func applied(_ database: Database) throws(StoreFailure) -> [String] {
        try database.rows("SELECT id FROM schema_migrations ORDER BY applied_at, id").compactMap { $0.text(0) }
    }
}
