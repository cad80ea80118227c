/// Tender's schema, as migrations. Append new steps; never edit one that has shipped.
public enum Schema {
    public static let migrations: [Migration] = [incidents, systemOfRecord, incidentReferences, executionRecovery, trackRecords]

    /// The incidents table as the first store created it (`IF NOT EXISTS`), so an existing
    /// `tender.db` is adopted unchanged.
    static let incidents = Migration("0001_incidents", """
        CREATE TABLE IF NOT EXISTS incidents (
            id INTEGER PRIMARY KEY,
            body TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'open',
            resolved_by TEXT,
            plan TEXT,
            concluded_at REAL
        );
        CREATE INDEX IF NOT EXISTS incidents_open ON incidents(status) WHERE status = 'open';
        """)

    /// Auctions, bids, awards, executions and their step log, approvals, sessions, pages and the
    /// append-only audit log.
    static let systemOfRecord = Migration("0002_system_of_record", """
        CREATE TABLE auctions (
            incident INTEGER NOT NULL,
            round INTEGER NOT NULL,
            opened_at REAL NOT NULL,
            closes_at REAL,
            invited TEXT NOT NULL,
            PRIMARY KEY (incident, round)
        );
        CREATE TABLE bids (
            id INTEGER PRIMARY KEY,
            incident INTEGER NOT NULL,
            round INTEGER NOT NULL,
            specialist TEXT NOT NULL,
            value REAL,
            refusal TEXT,
            late INTEGER NOT NULL DEFAULT 0,
            at REAL NOT NULL
        );
        CREATE INDEX bids_incident ON bids(incident, round);
        CREATE TABLE awards (
            incident INTEGER NOT NULL,
            round INTEGER NOT NULL,
            specialist TEXT NOT NULL,
            raw_bid REAL NOT NULL,
            correction REAL NOT NULL,
            score REAL NOT NULL,
            why TEXT NOT NULL,
            at REAL NOT NULL,
            PRIMARY KEY (incident, round)
        );
        CREATE TABLE executions (
            id INTEGER PRIMARY KEY,
            incident INTEGER NOT NULL,
            specialist TEXT NOT NULL,
            playbook TEXT NOT NULL,
            plan TEXT NOT NULL,
            dry_run INTEGER NOT NULL DEFAULT 0,
            started_at REAL NOT NULL,
            outcome TEXT,
            reason TEXT,
            finished_at REAL
        );
        CREATE INDEX executions_incident ON executions(incident);
        CREATE INDEX executions_in_flight ON executions(id) WHERE outcome IS NULL;
        CREATE TABLE steps (
            execution INTEGER NOT NULL REFERENCES executions(id),
            step INTEGER NOT NULL,
            phase TEXT NOT NULL CHECK (phase IN ('apply', 'undo')),
            attempt INTEGER NOT NULL,
            action TEXT NOT NULL,
            params TEXT NOT NULL,
            undo TEXT NOT NULL,
            idempotent INTEGER NOT NULL,
            intent_at REAL NOT NULL,
            result TEXT,
            exit_status INTEGER,
            output TEXT,
            result_at REAL,
            PRIMARY KEY (execution, step, phase, attempt)
        );
        CREATE TABLE approvals (
            id INTEGER PRIMARY KEY,
            execution INTEGER NOT NULL,
            incident INTEGER NOT NULL,
            step INTEGER NOT NULL,
            action TEXT NOT NULL,
            risk TEXT NOT NULL,
            params TEXT NOT NULL,
            requested_at REAL NOT NULL,
            deadline REAL NOT NULL,
            decision TEXT CHECK (decision IN ('approved', 'denied', 'timed_out', 'superseded')),
            decided_by TEXT,
            reason TEXT,
            decided_at REAL
        );
        CREATE INDEX approvals_pending ON approvals(id) WHERE decision IS NULL;
        CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            specialist TEXT NOT NULL,
            kind TEXT NOT NULL,
            peer TEXT,
            opened_at REAL NOT NULL,
            closed_at REAL,
            close_reason TEXT
        );
        CREATE TABLE pages (
            id INTEGER PRIMARY KEY,
            incident INTEGER NOT NULL,
            payload TEXT NOT NULL,
            created_at REAL NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            delivered_at REAL
        );
        CREATE INDEX pages_undelivered ON pages(id) WHERE delivered_at IS NULL;
        CREATE TABLE audit (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            at REAL NOT NULL,
            actor TEXT NOT NULL,
            incident INTEGER,
            execution INTEGER,
            what TEXT NOT NULL,
            why TEXT NOT NULL
        );
        CREATE INDEX audit_incident ON audit(incident);
        CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        """)

    /// Intake's idempotency keys (`ref`): a retried ref maps to the incident it created. A table
    /// of its own, because stores written by the first SQLite store already carry a `ref` column
    /// on `incidents` and SQLite cannot add a column only if it is missing; the coordinator
    /// copies those old refs in when it opens such a store.
    static let incidentReferences = Migration("0003_incident_references", """
        CREATE TABLE incident_refs (
            ref TEXT PRIMARY KEY,
            incident INTEGER NOT NULL
        ) WITHOUT ROWID;
        """)

    /// Each execution's validated plan in columns beside its JSON (`StoredPlanStep`), so a restart
    /// rebuilds every interrupted plan with two indexed queries instead of decoding a JSON
    /// document per execution (most of the 10,000-execution recovery time). Executions recorded
    /// before it have no rows here and are read from their JSON.
    static let executionRecovery = Migration("0004_execution_recovery", """
        CREATE TABLE plan_steps (
            execution INTEGER NOT NULL REFERENCES executions(id),
            step INTEGER NOT NULL,
            action TEXT NOT NULL,
            undo TEXT NOT NULL,
            risk TEXT NOT NULL,
            idempotent INTEGER NOT NULL,
            undo_idempotent INTEGER NOT NULL,
            retries INTEGER NOT NULL,
            undo_retries INTEGER NOT NULL,
            timeout_s REAL NOT NULL,
            undo_timeout_s REAL NOT NULL,
            PRIMARY KEY (execution, step)
        ) WITHOUT ROWID;
        CREATE TABLE plan_parameters (
            execution INTEGER NOT NULL REFERENCES executions(id),
            step INTEGER NOT NULL,
            position INTEGER NOT NULL,
            name TEXT NOT NULL,
            type TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (execution, step, position)
        ) WITHOUT ROWID;
        """)
}
