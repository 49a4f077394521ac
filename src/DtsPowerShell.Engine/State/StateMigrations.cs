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
    ];
}
