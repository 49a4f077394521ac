namespace DtsPowerShell.Engine.State;

/// <summary>The state file's schema, one step per version (<c>PRAGMA user_version</c> holds the version reached).</summary>
internal static class StateMigrations
{
    public static readonly string[] Steps =
    [
        """
        CREATE TABLE jobs (
            id               TEXT PRIMARY KEY,
            name             TEXT NOT NULL,
            source_host      TEXT NOT NULL,
            source_port      INTEGER NOT NULL,
            source_user      TEXT NOT NULL,
            source_secret    BLOB NOT NULL,
            source_ssl_mode  TEXT NOT NULL,
            target_host      TEXT NOT NULL,
            target_port      INTEGER NOT NULL,
            target_user      TEXT NOT NULL,
            target_secret    BLOB NOT NULL,
            target_ssl_mode  TEXT NOT NULL,
            objects          TEXT NOT NULL,
            mapping          TEXT NOT NULL,
            initial_sync     INTEGER NOT NULL,
            state            TEXT NOT NULL,
            created_at       TEXT NOT NULL,
            last_precheck_at TEXT
        );
        CREATE INDEX jobs_name ON jobs(name);
        CREATE TABLE precheck_results (
            job_id     TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
            seq        INTEGER NOT NULL,
            check_name TEXT NOT NULL,
            status     TEXT NOT NULL,
            message    TEXT NOT NULL,
            remedy     TEXT,
            checked_at TEXT NOT NULL,
            PRIMARY KEY (job_id, seq)
        );
        """,
        """
        ALTER TABLE jobs ADD COLUMN source_ssl_ca TEXT;
        ALTER TABLE jobs ADD COLUMN target_ssl_ca TEXT;
        """,
        """
        ALTER TABLE jobs ADD COLUMN start_position TEXT;
        CREATE TABLE job_status (
            job_id            TEXT PRIMARY KEY REFERENCES jobs(id) ON DELETE CASCADE,
            progress          REAL NOT NULL DEFAULT 0,
            rows_copied       INTEGER NOT NULL DEFAULT 0,
            rows_total        INTEGER NOT NULL DEFAULT 0,
            position          TEXT,
            gtid              TEXT,
            latency_ms        REAL,
            events_per_second REAL NOT NULL DEFAULT 0,
            last_error        TEXT,
            worker_pid        INTEGER,
            worker_started_at TEXT,
            stop_requested    INTEGER NOT NULL DEFAULT 0,
            updated_at        TEXT
        );
        """,
        """
        CREATE TABLE job_statements (
            seq              INTEGER PRIMARY KEY AUTOINCREMENT,
            job_id           TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
            position         TEXT NOT NULL,
            source_time      TEXT NOT NULL,
            outcome          TEXT NOT NULL,
            statement        TEXT NOT NULL,
            target_statement TEXT,
            note             TEXT
        );
        CREATE INDEX job_statements_by_job ON job_statements (job_id, seq);
        """,
        """
        ALTER TABLE jobs ADD COLUMN conflict_policy TEXT NOT NULL DEFAULT 'Fail';
        ALTER TABLE job_status ADD COLUMN conflicts INTEGER NOT NULL DEFAULT 0;
        """,
        """
        CREATE TABLE job_history (
            job_id                TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
            minute                INTEGER NOT NULL,
            samples               INTEGER NOT NULL,
            latency_samples       INTEGER NOT NULL,
            latency_ms_sum        REAL NOT NULL,
            latency_ms_max        REAL,
            events_per_second_sum REAL NOT NULL,
            PRIMARY KEY (job_id, minute)
        ) WITHOUT ROWID;
        """,
        """
        ALTER TABLE jobs ADD COLUMN operations TEXT NOT NULL DEFAULT 'All';
        """,
    ];
}
