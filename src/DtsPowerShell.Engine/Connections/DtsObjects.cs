namespace DtsPowerShell.Engine.Connections;

/// <summary>The objects the sync itself keeps on the servers.</summary>
public static class DtsObjects
{
    /// <summary>The database that holds the heartbeat table on the source and the checkpoint table on the target.</summary>
    public const string Database = "_dts";

    /// <summary>The target table that holds each job's checkpoint (phase and binlog position), written with the rows it covers.</summary>
    public const string CheckpointTable = "sync_checkpoint";

    /// <summary>The target table that holds the state of each table copy of the data initialisation.</summary>
    public const string TableCopyTable = "table_copy";

    /// <summary>The target table that holds each job's selected source tables as of its checkpoint (the schema rows are decoded with).</summary>
    public const string TableSchemaTable = "table_schema";

    /// <summary>The objects (databases, tables) a job's target holds the sync of, to tell what Set-DtsSyncJob changed.</summary>
    public const string JobObjectsTable = "job_objects";

    /// <summary>The target table that marks a DDL statement being applied, so a crash between it and its checkpoint neither loses nor repeats it.</summary>
    public const string DdlPendingTable = "ddl_pending";

    /// <summary>The target table that records each statement of the source's binlog the sync applied or left out.</summary>
    public const string DdlHistoryTable = "ddl_history";

    /// <summary>The target table whose job row the first statement of each of the job's transactions writes, naming the server the changes come from (so the other half of a two-way pair leaves them out).</summary>
    public const string OriginTable = "txn_origin";

    /// <summary>The target table where a job keeps, with its checkpoint, the sessions in which the other half of its pair is running a statement on its source.</summary>
    public const string PeerStatementTable = "peer_statements";

    /// <summary>The target database where a job works out what a DDL statement does to a table (its name followed by the job's id).</summary>
    public const string ScratchDatabasePrefix = "_dts_ddl_";

    /// <summary>The marker table a job's RENAME TABLE moves from the first name to the second in the same statement, in <see cref="Database"/> on the target.</summary>
    public static string RenameMarkerTable(string jobId, bool renamed) => $"rename_mark_{jobId}_{(renamed ? "after" : "before")}";

    /// <summary>The source table the job writes a heartbeat to, so latency is measured rather than guessed.</summary>
    public const string HeartbeatTable = "_##dts_mysql_heartbeat##_";

    /// <summary>Connections a running job opens on each side at most (snapshot workers, stream or applier, control).</summary>
    public const int ConnectionsPerSide = 4;
}
