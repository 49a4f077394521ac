using DtsPowerShell.Engine.Binlog;
using DtsPowerShell.Engine.Connections;
using DtsPowerShell.Engine.Ddl;
using MySqlConnector;

namespace DtsPowerShell.Engine.Apply;

/// <summary>
/// The DDL bookkeeping on the target. <c>_dts.ddl_pending</c> holds the statement being applied and what the objects it
/// names looked like before (a DDL commits by itself, so it cannot share the checkpoint's transaction): after a crash,
/// a changed look says it ran, an unchanged one that it did not. <c>_dts.ddl_history</c> records every statement the
/// sync applied or left out. A job's pending mark and its removal are written in transactions that carry the job's
/// origin mark (<paramref name="origin"/>), written by the session that runs the statement: the other half of a two-way
/// pair knows the statement by that session.
/// </summary>
public sealed class DdlJournal(string jobId, OriginMarker? origin = null)
{
    private const string Pending = $"`{DtsObjects.Database}`.`{DtsObjects.DdlPendingTable}`";
    private const string History = $"`{DtsObjects.Database}`.`{DtsObjects.DdlHistoryTable}`";

    public static Task CreateAsync(MySqlConnection target, CancellationToken cancellationToken) =>
        target.ExecuteAsync($"CREATE DATABASE IF NOT EXISTS `{DtsObjects.Database}`;" +
            $"CREATE TABLE IF NOT EXISTS {Pending} (job_id VARCHAR(64) NOT NULL PRIMARY KEY, binlog_file VARCHAR(512) NOT NULL, binlog_pos BIGINT UNSIGNED NOT NULL, objects_before LONGTEXT NOT NULL) ENGINE=InnoDB;" +
            $"CREATE TABLE IF NOT EXISTS {History} (seq BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, job_id VARCHAR(64) NOT NULL, binlog_file VARCHAR(512) NOT NULL, binlog_pos BIGINT UNSIGNED NOT NULL, " +
            "source_time DATETIME NOT NULL, recorded_at DATETIME(6) NOT NULL, outcome VARCHAR(16) NOT NULL, statement LONGTEXT NOT NULL, target_statement LONGTEXT NULL, note TEXT NULL, KEY (job_id, seq)) ENGINE=InnoDB", cancellationToken);

    /// <summary>The objects' look before the statement at <paramref name="at"/> was applied, when it is the one marked as being applied.</summary>
    public async Task<string?> PendingAsync(MySqlConnection target, BinlogPosition at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(at);
        return await target.ScalarAsync($"SELECT objects_before FROM {Pending} WHERE job_id = @job AND binlog_file = @file AND binlog_pos = @pos", cancellationToken,
            ("@job", jobId), ("@file", at.File), ("@pos", at.Position)).ConfigureAwait(false) as string;
    }

    public Task MarkPendingAsync(MySqlConnection target, BinlogPosition at, string objectsBefore, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(at);
        // A delete and an insert, not REPLACE: the binlog shows the mark even when an equal one is already there.
        return target.ExecuteAsync(Marked($"DELETE FROM {Pending} WHERE job_id = @job; INSERT INTO {Pending} (job_id, binlog_file, binlog_pos, objects_before) VALUES (@job, @file, @pos, @before)"), cancellationToken, null,
            ("@job", jobId), ("@file", at.File), ("@pos", at.Position), ("@before", objectsBefore));
    }

    /// <summary>Clears the pending mark (the target refused the statement: it did not run).</summary>
    public Task ClearPendingAsync(MySqlConnection target, CancellationToken cancellationToken) =>
        target.ExecuteAsync(Marked($"DELETE FROM {Pending} WHERE job_id = @job"), cancellationToken, null, ("@job", jobId));

    private string Marked(string statement) => origin is null ? statement : $"START TRANSACTION; {origin.Statement}; {statement}; COMMIT";

    /// <summary>Records a statement and clears the pending mark, in the transaction that moves the checkpoint past it.</summary>
    public Task RecordAsync(MySqlConnection target, MySqlTransaction transaction, DdlRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        return target.ExecuteAsync($"DELETE FROM {Pending} WHERE job_id = @job; " +
            $"INSERT INTO {History} (job_id, binlog_file, binlog_pos, source_time, recorded_at, outcome, statement, target_statement, note) " +
            "VALUES (@job, @file, @pos, @time, UTC_TIMESTAMP(6), @outcome, @statement, @target, @note)", cancellationToken, transaction,
            ("@job", jobId), ("@file", record.Position.File), ("@pos", record.Position.Position), ("@time", record.SourceTime), ("@outcome", record.Outcome.ToString()),
            ("@statement", record.Statement), ("@target", record.TargetStatement), ("@note", record.Note));
    }

    /// <summary>The latest <paramref name="count"/> records, newest first.</summary>
    public async Task<IReadOnlyList<DdlRecord>> RecentAsync(MySqlConnection target, int count, CancellationToken cancellationToken)
    {
        var records = new List<DdlRecord>();
        await target.EachRowAsync($"SELECT binlog_file, binlog_pos, source_time, outcome, statement, target_statement, note FROM {History} WHERE job_id = @job ORDER BY seq DESC LIMIT @count",
            row => records.Add(new DdlRecord(new BinlogPosition(row.GetString(0), row.GetUInt64(1)), DateTime.SpecifyKind(row.GetDateTime(2), DateTimeKind.Utc), Enum.Parse<DdlOutcome>(row.GetString(3)),
                row.GetString(4), row.IsDBNull(5) ? null : row.GetString(5), row.IsDBNull(6) ? null : row.GetString(6))),
            cancellationToken, ("@job", jobId), ("@count", count)).ConfigureAwait(false);
        return records;
    }
}

/// <summary>One statement of the history: where it stood in the source's binlog, what the sync did, and what it ran on the target.</summary>
public sealed record DdlRecord(BinlogPosition Position, DateTime SourceTime, DdlOutcome Outcome, string Statement, string? TargetStatement, string? Note);
