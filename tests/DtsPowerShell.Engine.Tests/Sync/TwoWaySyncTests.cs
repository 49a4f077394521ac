using DtsPowerShell.Engine.Apply;
using DtsPowerShell.Engine.Binlog;
using DtsPowerShell.Engine.Jobs;
using DtsPowerShell.Engine.Selection;
using DtsPowerShell.Engine.Sync;
using DtsPowerShell.TestServers;
using Microsoft.Extensions.Logging.Abstractions;

namespace DtsPowerShell.Engine.Tests.Sync;

/// <summary>Two jobs syncing the same database both ways between two servers with default settings: each side's changes reach the other once, none comes back.</summary>
public sealed class TwoWaySyncTests(SyncServers servers) : IClassFixture<SyncServers>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task ChangesAndDdlOnEitherSideReachTheOtherOnceAndNeverComeBack()
    {
        var (a, b) = (servers.Source, servers.Target);
        a.Sql("""
            CREATE DATABASE pair;
            CREATE TABLE pair.items (id INT PRIMARY KEY, qty INT NOT NULL, note VARCHAR(20)) ENGINE=InnoDB;
            INSERT INTO pair.items VALUES (1, 10, 'a'), (2, 20, 'b'), (3, 30, 'c');
            """);
        var selection = ObjectSelection.Parse(["pair"]);
        var forwardJob = servers.CreateJob(["pair"]);
        var forward = new SyncWorker(forwardJob, servers.SourceSettings, servers.TargetSettings, new SyncWorkerOptions(), NullLogger.Instance);
        var forwardRun = forward.RunAsync(CancellationToken.None);
        SyncServers.WaitFor(() => forward.State == SyncJobState.Synchronizing || forwardRun.IsCompleted, Deadline, "the forward job to synchronize");
        servers.WaitUntilEqual(Deadline, ("pair.items", "pair.items"));

        // The reverse job copies nothing: the other side has the data already.
        var reverseJob = servers.Store.Jobs.Create(new SyncJobDefinition(null, servers.TargetSettings, servers.SourceSettings, selection,
            NameMapping.Create(new Dictionary<string, string>(), selection), InitialSync.None));
        var reverse = new SyncWorker(reverseJob, servers.TargetSettings, servers.SourceSettings, new SyncWorkerOptions(), NullLogger.Instance);
        var reverseRun = reverse.RunAsync(CancellationToken.None);
        SyncServers.WaitFor(() => reverse.State == SyncJobState.Synchronizing || reverseRun.IsCompleted, Deadline, "the reverse job to synchronize");

        a.Sql("UPDATE pair.items SET qty = qty + 1 WHERE id = 1; INSERT INTO pair.items VALUES (100, 1, 'from a');");
        b.Sql("UPDATE pair.items SET qty = qty + 10 WHERE id = 2; INSERT INTO pair.items VALUES (200, 2, 'from b'); DELETE FROM pair.items WHERE id = 3;");
        SyncServers.WaitFor(() => b.Sql("SELECT COUNT(*) FROM pair.items WHERE id = 100") == "1" && a.Sql("SELECT COUNT(*) FROM pair.items WHERE id IN (200, 3)") == "1",
            Deadline, $"each side's rows to reach the other ({Describe(forward, reverse)})");

        // A DDL on one side runs on the other once; the job that reads it back follows the new column without running it again.
        a.Sql("ALTER TABLE pair.items ADD COLUMN extra INT NULL");
        SyncServers.WaitFor(() => b.Sql("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'pair' AND TABLE_NAME = 'items' AND COLUMN_NAME = 'extra'") == "1",
            Deadline, "the ALTER to reach the other side");
        b.Sql("UPDATE pair.items SET extra = 7 WHERE id = 200");
        SyncServers.WaitFor(() => a.Sql("SELECT extra FROM pair.items WHERE id = 200") == "7", Deadline, $"a row written after the ALTER to come back with the new column ({Describe(forward, reverse)})");

        // Each job has read the other side's binlog to its end: what it applied is that side's own changes, nothing more.
        WaitUntilRead(reverse, b);
        WaitUntilRead(forward, a);
        Assert.Equal(SyncJobState.Synchronizing, forward.State);
        Assert.Equal(SyncJobState.Synchronizing, reverse.State);
        Assert.Equal(2, forward.Progress.RowChangesApplied);
        Assert.Equal(4, reverse.Progress.RowChangesApplied);
        Assert.Equal("1\t11\ta\tNULL\n2\t30\tb\tNULL\n100\t1\tfrom a\tNULL\n200\t2\tfrom b\t7", a.Sql("SELECT * FROM pair.items ORDER BY id"));
        Assert.Equal(SyncServers.Fingerprint(a, "pair.items"), SyncServers.Fingerprint(b, "pair.items"));
        Assert.Equal(SyncServers.Structure(a, "pair.items"), SyncServers.Structure(b, "pair.items"));
        Assert.Contains(reverse.Progress.TakeStatements(), s => s.Outcome == DdlOutcome.Skipped && s.Statement.Contains("ADD COLUMN extra", StringComparison.Ordinal));

        await SyncServers.StopAsync(reverse, reverseRun);
        await SyncServers.StopAsync(forward, forwardRun);
    }

    /// <summary>Waits until a job has applied its source's binlog up to where it ends now.</summary>
    private static void WaitUntilRead(SyncWorker worker, MariaDbServer source)
    {
        var status = source.Sql("SHOW MASTER STATUS").Split('\t');
        var end = new BinlogPosition(status[0], ulong.Parse(status[1], System.Globalization.CultureInfo.InvariantCulture));
        SyncServers.WaitFor(() => worker.Progress.Position is { } at && at.CompareTo(end) >= 0, Deadline, $"the job to read its source up to {end}");
    }

    private static string Describe(SyncWorker forward, SyncWorker reverse) =>
        $"forward {forward.State} {forward.LastError}, reverse {reverse.State} {reverse.LastError}";
}
