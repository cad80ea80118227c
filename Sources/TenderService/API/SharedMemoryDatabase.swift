import Foundation

/// The store of a coordinator run without `--db`: an in-memory SQLite database in shared-cache
/// mode under a name private to this process, so that the HTTP API can open a read connection of
/// its own next to the writer's (a plain `:memory:` database is visible to one connection only,
/// and reads through the writer would wait on the loop for every queued commit).
public enum SharedMemoryDatabase {
    /// A fresh URI (Debian's SQLite opens `file:` URIs); the database lives while the writer's
    /// connection is open and is gone with the process.
    public static func newPath() -> String {
        "file:tender-memory-\(getpid())-\(UUID().uuidString)?mode=memory&cache=shared"
    }

    /// Whether `path` names a shared in-memory database (one a second connection can open).
    public static func isSharedMemory(_ path: String) -> Bool {
        path.hasPrefix("file:") && path.contains("mode=memory") && path.contains("cache=shared")
    }
}
