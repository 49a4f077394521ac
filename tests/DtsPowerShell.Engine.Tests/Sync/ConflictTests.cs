using DtsPowerShell.Engine.Jobs;
using DtsPowerShell.Engine.Sync;
using Microsoft.Extensions.Logging.Abstractions;

namespace DtsPowerShell.Engine.Tests.Sync;

/// <summary>
/// A target changed behind the job's back: every applied change that finds the target's row not as the source had it
/// is a conflict, found inside batches too, and dealt with by the job's policy.
/// </summary>
public sealed class ConflictTests(SyncServers servers) : IClassFixture<SyncServers>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    // Each case: what is done on the target behind the job's back, then on the source; the kind and key the error names.
    [Theory]
    [InlineData("DELETE FROM {0}.t WHERE id = 2", "UPDATE {0}.t SET v = 99 WHERE id = 2", "UpdateRowMissing", "id=2")]
    [InlineData("DELETE FROM {0}.t WHERE id = 2", "UPDATE {0}.t SET id = 20 WHERE id = 2", "UpdateRowMissing", "id=2")]
    [InlineData("DELETE FROM {0}.t WHERE id = 2", "DELETE FROM {0}.t WHERE id = 2", "DeleteRowMissing", "id=2")]
    [InlineData("UPDATE {0}.t SET v = 7 WHERE id = 2", "UPDATE {0}.t SET v = 99 WHERE id = 2", "UpdateRowDiffers", "id=2")]
    [InlineData("INSERT INTO {0}.t VALUES (5, 5)", "INSERT INTO {0}.t VALUES (5, 50)", "InsertKeyExists", "id=5")]
    [InlineData("UPDATE {0}.k SET v = 7 WHERE v = 2", "UPDATE {0}.k SET v = 99 WHERE v = 2", "UpdateRowMissing", "v=2")]
    public async Task WithPolicyFailTheJobStopsNamingTableKeyKindAndPosition(string onTarget, string onSource, string kind, string key)
    {
        var db = "conflict_fail_" + Math.Abs((onTarget + onSource).GetHashCode(StringComparison.Ordinal) % 100000);
        var (worker, run) = Start(db, ConflictPolicy.Fail);
        servers.Target.Sql(string.Format(System.Globalization.CultureInfo.InvariantCulture, onTarget, db));
        // The conflicting change sits inside a batch of others: the rows before it in the batch are not kept either.
        servers.Source.Sql($"BEGIN; INSERT INTO {db}.t SELECT seq, seq FROM {db}.seq_100_to_300; {string.Format(System.Globalization.CultureInfo.InvariantCulture, onSource, db)}; COMMIT;");

        Assert.Equal(SyncJobState.Failed, await run.WaitAsync(Deadline));
        Assert.Contains(kind, worker.LastError, StringComparison.Ordinal);
        Assert.Contains($"{db}.{(key.StartsWith("v=", StringComparison.Ordinal) ? "k" : "t")}", worker.LastError, StringComparison.Ordinal);
        Assert.Contains(key, worker.LastError, StringComparison.Ordinal);
        Assert.Matches(@"at binlog\.\d+:\d+", worker.LastError);
        Assert.Contains("-ConflictPolicy", worker.LastError, StringComparison.Ordinal);
        Assert.Equal("0", servers.Target.Sql($"SELECT COUNT(*) FROM {db}.t WHERE id >= 100"));
    }

    [Fact]
    public async Task WithPolicyOverwriteTheTargetEndsAsTheSourceAndEachConflictIsCounted()
    {
        const string db = "conflict_overwrite";
        var (worker, run) = Start(db, ConflictPolicy.Overwrite);
        servers.Target.Sql($"DELETE FROM {db}.t WHERE id IN (1, 2, 3); UPDATE {db}.t SET v = 7 WHERE id = 4; INSERT INTO {db}.t VALUES (5, 5); UPDATE {db}.k SET v = 7 WHERE v = 2;");
        servers.Source.Sql($"""
            BEGIN;
            INSERT INTO {db}.t SELECT seq, seq FROM {db}.seq_100_to_300;
            UPDATE {db}.t SET v = 10 WHERE id = 1;
            UPDATE {db}.t SET id = 30 WHERE id = 3;
            DELETE FROM {db}.t WHERE id = 2;
            UPDATE {db}.t SET v = 40 WHERE id = 4;
            INSERT INTO {db}.t VALUES (5, 50);
            UPDATE {db}.k SET v = 20 WHERE v = 2;
            UPDATE {db}.t SET v = v + 1 WHERE id BETWEEN 100 AND 110;
            COMMIT;
            """);
        servers.WaitUntilEqual(Deadline, () => $"The worker is {worker.State}: {worker.LastError}", ($"{db}.t", $"{db}.t"));
        Assert.Equal(SyncJobState.Synchronizing, worker.State);
        SyncServers.WaitFor(() => worker.Progress.Conflicts == 6, Deadline, $"6 conflicts to be counted (counted {worker.Progress.Conflicts})");
        // The keyless table's changed row is not found; the source's after image is written beside the target's.
        Assert.Equal("1\n3\n7\n20", servers.Target.Sql($"SELECT v FROM {db}.k ORDER BY v"));
        await SyncServers.StopAsync(worker, run);
    }

    [Fact]
    public async Task WithPolicyIgnoreTheTargetKeepsItsRowsAndTheRestIsApplied()
    {
        const string db = "conflict_ignore";
        var (worker, run) = Start(db, ConflictPolicy.Ignore);
        servers.Target.Sql($"DELETE FROM {db}.t WHERE id = 1; UPDATE {db}.t SET v = 7 WHERE id = 4; INSERT INTO {db}.t VALUES (5, 5);");
        servers.Source.Sql($"BEGIN; UPDATE {db}.t SET v = 10 WHERE id IN (1, 2); UPDATE {db}.t SET v = 40 WHERE id = 4; INSERT INTO {db}.t VALUES (5, 50), (6, 60); COMMIT;");
        SyncServers.WaitFor(() => servers.Target.Sql($"SELECT COUNT(*) FROM {db}.t WHERE id = 6") == "1" || run.IsCompleted, Deadline, "the insert after the conflicts to arrive");
        Assert.Equal("2\t10\n3\t3\n4\t7\n5\t5\n6\t60", servers.Target.Sql($"SELECT * FROM {db}.t ORDER BY id"));
        SyncServers.WaitFor(() => worker.Progress.Conflicts == 3, Deadline, $"3 conflicts to be counted (counted {worker.Progress.Conflicts})");
        Assert.Equal(SyncJobState.Synchronizing, worker.State);
        await SyncServers.StopAsync(worker, run);
    }

    private (SyncWorker Worker, Task<SyncJobState> Run) Start(string db, ConflictPolicy policy)
    {
        servers.Source.Sql($"""
            CREATE DATABASE {db};
            CREATE TABLE {db}.t (id INT PRIMARY KEY, v INT) ENGINE=InnoDB;
            CREATE TABLE {db}.k (v INT) ENGINE=InnoDB;
            INSERT INTO {db}.t VALUES (1, 1), (2, 2), (3, 3), (4, 4);
            INSERT INTO {db}.k VALUES (1), (2), (3);
            """);
        var job = servers.CreateJob([db], conflictPolicy: policy);
        var worker = new SyncWorker(job, servers.SourceSettings, servers.TargetSettings, new SyncWorkerOptions(), NullLogger.Instance);
        var run = worker.RunAsync(CancellationToken.None);
        SyncServers.WaitFor(() => worker.State == SyncJobState.Synchronizing || run.IsCompleted, Deadline, "the job to synchronize");
        return (worker, run);
    }
}
