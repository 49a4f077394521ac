using System.Globalization;
using DtsPowerShell.Engine.Jobs;
using Microsoft.Data.Sqlite;

namespace DtsPowerShell.Engine.State;

/// <summary>
/// The running side of a job in the state file: its state, counters and position as the worker writes them, the
/// worker's identity (process id and start time), and the stop request the cmdlets leave for it.
/// </summary>
public sealed class SyncStatusRepository
{
    private readonly StateStore store;

    internal SyncStatusRepository(StateStore store) => this.store = store;

    /// <summary>The status of a job as stored, or null when the job is not in the state file.</summary>
    public SyncStatus? Get(SyncJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        using var connection = store.Connect();
        using var select = connection.CreateCommand();
        select.CommandText =
            "SELECT j.state, s.progress, s.rows_copied, s.rows_total, s.position, s.gtid, s.latency_ms, s.events_per_second, " +
            "s.last_error, s.worker_pid, s.updated_at, s.conflicts FROM jobs j LEFT JOIN job_status s ON s.job_id = j.id WHERE j.id = $id";
        select.Parameters.AddWithValue("$id", job.Id);
        using var reader = select.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        return new SyncStatus
        {
            Id = job.Id,
            Name = job.Name,
            State = Enum.Parse<SyncJobState>(reader.GetString(0)),
            Progress = reader.IsDBNull(1) ? 0 : reader.GetDouble(1),
            RowsCopied = reader.IsDBNull(2) ? 0 : reader.GetInt64(2),
            RowsTotal = reader.IsDBNull(3) ? 0 : reader.GetInt64(3),
            Position = reader.IsDBNull(4) ? null : reader.GetString(4),
            Gtid = reader.IsDBNull(5) ? null : reader.GetString(5),
            Latency = reader.IsDBNull(6) ? null : TimeSpan.FromMilliseconds(reader.GetDouble(6)),
            EventsPerSecond = reader.IsDBNull(7) ? 0 : reader.GetDouble(7),
            LastError = reader.IsDBNull(8) ? null : reader.GetString(8),
            WorkerProcessId = reader.IsDBNull(9) ? null : reader.GetInt32(9),
            UpdatedAt = reader.IsDBNull(10) ? null : Parse(reader.GetString(10)),
            Conflicts = reader.IsDBNull(11) ? 0 : reader.GetInt64(11),
            RecentStatements = new PrintableList<SyncStatement>(RecentStatements(connection, job.Id)),
        };
    }

    /// <summary>How many statements per job the state file keeps; the target's _dts.ddl_history keeps them all.</summary>
    public const int StatementsKept = 50;

    /// <summary>Adds statements the worker handled, keeping the latest <see cref="StatementsKept"/>.</summary>
    public void AddStatements(string jobId, IEnumerable<SyncStatement> statements)
    {
        ArgumentNullException.ThrowIfNull(statements);
        using var connection = store.Connect();
        using var transaction = connection.BeginTransaction();
        foreach (var statement in statements)
        {
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO job_statements (job_id, position, source_time, outcome, statement, target_statement, note) VALUES ($id, $position, $time, $outcome, $statement, $target, $note)";
            insert.Parameters.AddWithValue("$id", jobId);
            insert.Parameters.AddWithValue("$position", statement.Position);
            insert.Parameters.AddWithValue("$time", Format(statement.SourceTime));
            insert.Parameters.AddWithValue("$outcome", statement.Outcome);
            insert.Parameters.AddWithValue("$statement", statement.Statement);
            insert.Parameters.AddWithValue("$target", (object?)statement.TargetStatement ?? DBNull.Value);
            insert.Parameters.AddWithValue("$note", (object?)statement.Note ?? DBNull.Value);
            insert.ExecuteNonQuery();
        }

        using var trim = connection.CreateCommand();
        trim.CommandText = $"DELETE FROM job_statements WHERE job_id = $id AND seq NOT IN (SELECT seq FROM job_statements WHERE job_id = $id ORDER BY seq DESC LIMIT {StatementsKept})";
        trim.Parameters.AddWithValue("$id", jobId);
        trim.ExecuteNonQuery();
        transaction.Commit();
    }

    private static List<SyncStatement> RecentStatements(SqliteConnection connection, string jobId)
    {
        using var select = connection.CreateCommand();
        select.CommandText = "SELECT position, source_time, outcome, statement, target_statement, note FROM job_statements WHERE job_id = $id ORDER BY seq DESC";
        select.Parameters.AddWithValue("$id", jobId);
        using var reader = select.ExecuteReader();
        var statements = new List<SyncStatement>();
        while (reader.Read())
        {
            statements.Add(new SyncStatement(reader.GetString(0), Parse(reader.GetString(1)), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5)));
        }

        return statements;
    }

    /// <summary>The worker process recorded for a job (its id, and the identity that tells it from a later process with that id), or null when none was.</summary>
    public (int ProcessId, string Identity)? GetWorker(string jobId)
    {
        using var connection = store.Connect();
        using var select = connection.CreateCommand();
        select.CommandText = "SELECT worker_pid, worker_started_at FROM job_status WHERE job_id = $id AND worker_pid IS NOT NULL";
        select.Parameters.AddWithValue("$id", jobId);
        using var reader = select.ExecuteReader();
        return reader.Read() ? (reader.GetInt32(0), reader.GetString(1)) : null;
    }

    /// <summary>Sets the job's state; with <paramref name="error"/> also its last error (an empty string clears it).</summary>
    public void SetState(string jobId, SyncJobState state, string? error = null)
    {
        Execute(
            "UPDATE jobs SET state = $state WHERE id = $id;" +
            "INSERT INTO job_status (job_id, updated_at) VALUES ($id, $now) ON CONFLICT(job_id) DO UPDATE SET updated_at = $now" +
            (error is null ? ";" : ", last_error = NULLIF($error, '');"),
            jobId,
            ("$state", state.ToString()),
            ("$error", error));
    }

    /// <summary>Records the worker that runs the job; a new start (<paramref name="newStart"/>) also clears an earlier stop request and error.</summary>
    public void SetWorker(string jobId, int processId, string identity, bool newStart)
    {
        Execute(
            "INSERT INTO job_status (job_id, worker_pid, worker_started_at, stop_requested, last_error, updated_at) VALUES ($id, $pid, $started, 0, NULL, $now) " +
            "ON CONFLICT(job_id) DO UPDATE SET worker_pid = $pid, worker_started_at = $started, updated_at = $now" +
            (newStart ? ", stop_requested = 0, last_error = NULL;" : ";"),
            jobId,
            ("$pid", processId),
            ("$started", identity));
    }

    /// <summary>
    /// Starts the job's worker unless a live one is recorded, and records it: the check, the start and the record are one
    /// write transaction of the state file, so of two starts at once the second finds the first's worker instead of
    /// recording one of its own that exits at once (the target lock lets one worker run a job).
    /// </summary>
    /// <returns>The worker that runs the job, and whether this call started it.</returns>
    public (int ProcessId, bool Started) StartWorker(string jobId, Func<int, string, bool> isAlive, Func<(int ProcessId, string Identity)> start)
    {
        ArgumentNullException.ThrowIfNull(isAlive);
        ArgumentNullException.ThrowIfNull(start);
        using var connection = store.Connect();
        using var transaction = connection.BeginTransaction(deferred: false);
        using (var select = connection.CreateCommand())
        {
            select.Transaction = transaction;
            select.CommandText = "SELECT worker_pid, worker_started_at FROM job_status WHERE job_id = $id AND worker_pid IS NOT NULL";
            select.Parameters.AddWithValue("$id", jobId);
            using var reader = select.ExecuteReader();
            if (reader.Read() && isAlive(reader.GetInt32(0), reader.GetString(1)))
            {
                return (reader.GetInt32(0), false);
            }
        }

        var (processId, identity) = start();
        using var record = connection.CreateCommand();
        record.Transaction = transaction;
        record.CommandText =
            "UPDATE jobs SET state = $state WHERE id = $id;" +
            "INSERT INTO job_status (job_id, worker_pid, worker_started_at, stop_requested, last_error, updated_at) VALUES ($id, $pid, $started, 0, NULL, $now) " +
            "ON CONFLICT(job_id) DO UPDATE SET worker_pid = $pid, worker_started_at = $started, stop_requested = 0, last_error = NULL, updated_at = $now;";
        record.Parameters.AddWithValue("$id", jobId);
        record.Parameters.AddWithValue("$state", nameof(SyncJobState.Starting));
        record.Parameters.AddWithValue("$pid", processId);
        record.Parameters.AddWithValue("$started", identity);
        record.Parameters.AddWithValue("$now", Format(DateTime.UtcNow));
        record.ExecuteNonQuery();
        transaction.Commit();
        return (processId, true);
    }

    /// <summary>Forgets the worker (it has exited).</summary>
    public void ClearWorker(string jobId) =>
        Execute("UPDATE job_status SET worker_pid = NULL, worker_started_at = NULL, events_per_second = 0, updated_at = $now WHERE job_id = $id;", jobId);

    /// <summary>
    /// Writes the counters and position a running worker reports, and adds the report's latency and rate to the
    /// minute's history (kept <see cref="SyncHistoryPoint.Kept"/>).
    /// </summary>
    public void Report(string jobId, SyncReport report) => Report(jobId, report, DateTime.UtcNow);

    internal void Report(string jobId, SyncReport report, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(report);
        var minute = MinuteOf(now);
        Execute(
            "UPDATE job_status SET progress = $progress, rows_copied = $copied, rows_total = $total, position = $position, gtid = $gtid, " +
            "latency_ms = $latency, events_per_second = $eps, last_error = $error, conflicts = conflicts + $conflicts, updated_at = $now WHERE job_id = $id;" +
            "UPDATE jobs SET state = $state WHERE id = $id AND state <> $stopping;" +
            "INSERT INTO job_history (job_id, minute, samples, latency_samples, latency_ms_sum, latency_ms_max, events_per_second_sum) " +
            "VALUES ($id, $minute, 1, $latency IS NOT NULL, COALESCE($latency, 0), $latency, $eps) " +
            "ON CONFLICT(job_id, minute) DO UPDATE SET samples = samples + 1, latency_samples = latency_samples + ($latency IS NOT NULL), " +
            "latency_ms_sum = latency_ms_sum + COALESCE($latency, 0), latency_ms_max = MAX(COALESCE(latency_ms_max, $latency), COALESCE($latency, latency_ms_max)), " +
            "events_per_second_sum = events_per_second_sum + $eps;" +
            "DELETE FROM job_history WHERE job_id = $id AND minute < $oldest;",
            jobId,
            now,
            ("$minute", minute),
            ("$oldest", minute - (long)SyncHistoryPoint.Kept.TotalMinutes),
            ("$progress", report.Progress),
            ("$copied", report.RowsCopied),
            ("$total", report.RowsTotal),
            ("$position", report.Position),
            ("$gtid", report.Gtid),
            ("$latency", report.Latency?.TotalMilliseconds),
            ("$eps", report.EventsPerSecond),
            ("$error", report.LastError),
            ("$conflicts", report.NewConflicts),
            ("$state", report.State.ToString()),
            ("$stopping", nameof(SyncJobState.Stopping)));
    }

    /// <summary>The job's minutes since <paramref name="sinceUtc"/> in which its worker reported, oldest first.</summary>
    public IReadOnlyList<SyncHistoryPoint> GetHistory(SyncJob job, DateTime sinceUtc)
    {
        ArgumentNullException.ThrowIfNull(job);
        using var connection = store.Connect();
        using var select = connection.CreateCommand();
        select.CommandText =
            "SELECT minute, samples, latency_samples, latency_ms_sum, latency_ms_max, events_per_second_sum FROM job_history " +
            "WHERE job_id = $id AND minute >= $since ORDER BY minute";
        select.Parameters.AddWithValue("$id", job.Id);
        select.Parameters.AddWithValue("$since", MinuteOf(sinceUtc));
        using var reader = select.ExecuteReader();
        var points = new List<SyncHistoryPoint>();
        while (reader.Read())
        {
            var samples = reader.GetInt32(1);
            var latencySamples = reader.GetInt32(2);
            points.Add(new SyncHistoryPoint(
                job.Id,
                job.Name,
                DateTime.UnixEpoch.AddMinutes(reader.GetInt64(0)),
                latencySamples == 0 ? null : TimeSpan.FromMilliseconds(reader.GetDouble(3) / latencySamples),
                reader.IsDBNull(4) ? null : TimeSpan.FromMilliseconds(reader.GetDouble(4)),
                reader.GetDouble(5) / samples,
                samples));
        }

        return points;
    }

    /// <summary>Sets the copy and conflict counters back to nothing: the job copies its tables again (a resync).</summary>
    public void ResetCounters(string jobId) =>
        Execute("UPDATE job_status SET progress = 0, rows_copied = 0, rows_total = 0, conflicts = 0, last_error = NULL, updated_at = $now WHERE job_id = $id;", jobId);

    /// <summary>Asks the job's worker to stop; it reads this at least once a second.</summary>
    public void RequestStop(string jobId) =>
        Execute(
            "UPDATE job_status SET stop_requested = 1, updated_at = $now WHERE job_id = $id;" +
            "UPDATE jobs SET state = $state WHERE id = $id;",
            jobId,
            ("$state", nameof(SyncJobState.Stopping)));

    public bool IsStopRequested(string jobId)
    {
        using var connection = store.Connect();
        using var select = connection.CreateCommand();
        select.CommandText = "SELECT stop_requested FROM job_status WHERE job_id = $id";
        select.Parameters.AddWithValue("$id", jobId);
        return select.ExecuteScalar() is long flag && flag != 0;
    }

    private void Execute(string sql, string jobId, params (string Name, object? Value)[] parameters) => Execute(sql, jobId, DateTime.UtcNow, parameters);

    /// <summary>Runs the statements of <paramref name="sql"/> as one transaction.</summary>
    private void Execute(string sql, string jobId, DateTime now, params (string Name, object? Value)[] parameters)
    {
        using var connection = store.Connect();
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", jobId);
        command.Parameters.AddWithValue("$now", Format(now));
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(new SqliteParameter(name, value ?? DBNull.Value));
        }

        command.ExecuteNonQuery();
        transaction.Commit();
    }

    private static long MinuteOf(DateTime time) => (long)Math.Floor((time.ToUniversalTime() - DateTime.UnixEpoch).TotalMinutes);

    private static string Format(DateTime time) => time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private static DateTime Parse(string text) => DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
