import CLibUV
import CSQLite
import Testing

/// The C edges link and answer: the module maps point at the real libuv and SQLite.
@Suite struct SystemLibrarySmokeTests {
    @Test func libuvRunsALoopWithATimer() throws {
        #expect(uv_version() >= 0x01_2C_00, "libuv 1.44 or newer")
        var loop = uv_loop_t()
        #expect(uv_loop_init(&loop) == 0)
        var timer = uv_timer_t()
        #expect(uv_timer_init(&loop, &timer) == 0)
        // A zero-delay timer fires on the first loop turn; the callback stops it.
        #expect(uv_timer_start(&timer, { handle in uv_timer_stop(handle) }, 0, 0) == 0)
        #expect(uv_run(&loop, UV_RUN_DEFAULT) == 0)
        uv_close(UnsafeMutableRawPointer(&timer).assumingMemoryBound(to: uv_handle_t.self), nil)
        uv_run(&loop, UV_RUN_DEFAULT)
        #expect(uv_loop_close(&loop) == 0)
    }

    @Test func sqliteRoundTripsRowsAndBoundText() throws {
        #expect(sqlite3_libversion_number() >= 3_037_000)
        var db: OpaquePointer?
        #expect(sqlite3_open(":memory:", &db) == SQLITE_OK)
        defer { sqlite3_close(db) }
        #expect(sqlite3_exec(db, "CREATE TABLE t(x INTEGER); INSERT INTO t VALUES (42);", nil, nil, nil) == SQLITE_OK)
        var statement: OpaquePointer?
        #expect(sqlite3_prepare_v2(db, "SELECT x FROM t", -1, &statement, nil) == SQLITE_OK)
        defer { sqlite3_finalize(statement) }
        #expect(sqlite3_step(statement) == SQLITE_ROW)
        #expect(sqlite3_column_int(statement, 0) == 42)

        var echo: OpaquePointer?
        #expect(sqlite3_prepare_v2(db, "SELECT ?1", -1, &echo, nil) == SQLITE_OK)
        defer { sqlite3_finalize(echo) }
        #expect(sqlite3_bind_text(echo, 1, "bound", -1, csqlite_transient()) == SQLITE_OK, "the shim stands in for SQLITE_TRANSIENT")
        #expect(sqlite3_step(echo) == SQLITE_ROW)
        #expect(String(cString: sqlite3_column_text(echo, 0)) == "bound")
    }
}
