using DtsPowerShell.Engine.Binlog;
using DtsPowerShell.Engine.Connections;
using DtsPowerShell.Engine.Ddl;
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

    [Fact]
    public async Task TheOtherJobsDdlIsKnownByItsSessionAcrossARestartAndADdlOfAnotherSessionMeanwhileIsApplied()
    {
        var (a, b) = (servers.Source, servers.Target);
        a.Sql("CREATE DATABASE pair2; CREATE TABLE pair2.t (id INT PRIMARY KEY, v INT) ENGINE=InnoDB; INSERT INTO pair2.t VALUES (1, 1);");
        var selection = ObjectSelection.Parse(["pair2"]);
        var forwardJob = servers.CreateJob(["pair2"]);
        var forward = new SyncWorker(forwardJob, servers.SourceSettings, servers.TargetSettings, new SyncWorkerOptions(), NullLogger.Instance);
        var forwardRun = forward.RunAsync(CancellationToken.None);
        SyncServers.WaitFor(() => forward.State == SyncJobState.Synchronizing || forwardRun.IsCompleted, Deadline, "the forward job to synchronize");
        var reverseJob = servers.Store.Jobs.Create(new SyncJobDefinition(null, servers.TargetSettings, servers.SourceSettings, selection,
            NameMapping.Create(new Dictionary<string, string>(), selection), InitialSync.None));
        var reverse = new SyncWorker(reverseJob, servers.TargetSettings, servers.SourceSettings, new SyncWorkerOptions(), NullLogger.Instance);
        var reverseRun = reverse.RunAsync(CancellationToken.None);
        SyncServers.WaitFor(() => reverse.State == SyncJobState.Synchronizing || reverseRun.IsCompleted, Deadline, "the reverse job to synchronize");

        // A reader on the other side holds the table: the forward job marks its ALTER as pending there, then waits to run it.
        await using var holder = await MySqlConnectionFactory.OpenForSyncAsync(servers.TargetSettings, TimeSpan.FromSeconds(30), CancellationToken.None);
        await holder.ExecuteAsync("START TRANSACTION; SELECT * FROM pair2.t", CancellationToken.None);
        a.Sql("ALTER TABLE pair2.t ADD COLUMN extra INT NULL");
        SyncServers.WaitFor(() => b.Sql("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'ALTER TABLE%extra%' AND STATE LIKE '%metadata lock%'") == "1",
            Deadline, "the forward job's ALTER to wait for the table");

        // The reverse job reads the pending mark, saves it with its checkpoint, and is restarted.
        WaitUntilRead(reverse, b);
        await SyncServers.StopAsync(reverse, reverseRun);
        reverse = new SyncWorker(reverseJob, servers.TargetSettings, servers.SourceSettings, new SyncWorkerOptions(), NullLogger.Instance);
        reverseRun = reverse.RunAsync(CancellationToken.None);
        SyncServers.WaitFor(() => reverse.State == SyncJobState.Synchronizing || reverseRun.IsCompleted, Deadline, "the reverse job to synchronize again");

        // Meanwhile someone else creates a table on that side: not the forward job's statement, so it goes back.
        b.Sql("CREATE TABLE pair2.made_on_b (id INT PRIMARY KEY) ENGINE=InnoDB");
        await holder.ExecuteAsync("COMMIT", CancellationToken.None);
        SyncServers.WaitFor(() => a.Sql("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'pair2' AND TABLE_NAME = 'made_on_b'") == "1",
            Deadline, $"the other session's CREATE TABLE to reach the first side ({Describe(forward, reverse)})");
        b.Sql("UPDATE pair2.t SET extra = 5 WHERE id = 1");
        SyncServers.WaitFor(() => a.Sql("SELECT extra FROM pair2.t WHERE id = 1") == "5", Deadline, $"a row with the new column to come back ({Describe(forward, reverse)})");
        Assert.Equal(SyncJobState.Synchronizing, reverse.State);
        Assert.Equal(SyncServers.Structure(a, "pair2.t"), SyncServers.Structure(b, "pair2.t"));

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
