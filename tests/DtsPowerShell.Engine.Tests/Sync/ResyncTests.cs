using DtsPowerShell.Engine.Jobs;
using DtsPowerShell.Engine.Sync;
using Microsoft.Extensions.Logging.Abstractions;

namespace DtsPowerShell.Engine.Tests.Sync;

/// <summary>Start-DtsSync -Resync: a job whose target diverged, or whose binlog is gone, copies its tables again.</summary>
public sealed class ResyncTests(SyncServers servers) : IClassFixture<SyncServers>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task AJobWhoseBinlogWasPurgedAndWhoseTargetDivergedIsCopiedAgainAndSyncsOn()
    {
        const string db = "resync_all";
        servers.Source.Sql($"""
            CREATE DATABASE {db};
            CREATE TABLE {db}.a (id INT PRIMARY KEY, v VARCHAR(20)) ENGINE=InnoDB;
            CREATE TABLE {db}.b (id INT PRIMARY KEY, n INT) ENGINE=InnoDB;
            INSERT INTO {db}.a VALUES (1, 'one'), (2, 'two');
            INSERT INTO {db}.b VALUES (1, 10);
            """);
        var job = servers.CreateJob([db]);
        var first = new SyncWorker(job, servers.SourceSettings, servers.TargetSettings, new SyncWorkerOptions(), NullLogger.Instance);
        var run = first.RunAsync(CancellationToken.None);
        SyncServers.WaitFor(() => first.State == SyncJobState.Synchronizing || run.IsCompleted, Deadline, "the job to synchronize");
        await SyncServers.StopAsync(first, run);

        // While the job is stopped the source changes its tables (one in structure) and purges the binlog that says so,
        // and someone changes the target by hand.
        servers.Source.Sql($"""
            INSERT INTO {db}.a VALUES (3, 'three');
            ALTER TABLE {db}.b ADD COLUMN note TEXT;
            UPDATE {db}.b SET note = 'kept' WHERE id = 1;
            FLUSH BINARY LOGS;
            """);
        servers.PurgeSourceBinlogs(Deadline);
        servers.Target.Sql($"DELETE FROM {db}.a WHERE id = 1; INSERT INTO {db}.a VALUES (99, 'stray'); ALTER TABLE {db}.b ADD COLUMN stray INT;");
        var purged = new SyncWorker(job, servers.SourceSettings, servers.TargetSettings, new SyncWorkerOptions(), NullLogger.Instance);
        Assert.Equal(SyncJobState.Failed, await purged.RunAsync(CancellationToken.None).WaitAsync(Deadline));
        Assert.Contains("Start-DtsSync -Resync", purged.LastError, StringComparison.Ordinal);

        var replaced = await TargetResync.PrepareAsync(job, servers.TargetSettings, null, Deadline, CancellationToken.None);
        Assert.Equal([$"{db}.a", $"{db}.b"], replaced.Order().ToArray());
        Assert.Equal("0", servers.Target.Sql($"SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '{db}'"));

        var again = new SyncWorker(job, servers.SourceSettings, servers.TargetSettings, new SyncWorkerOptions(), NullLogger.Instance);
        run = again.RunAsync(CancellationToken.None);
        SyncServers.WaitFor(() => again.State == SyncJobState.Synchronizing || run.IsCompleted, Deadline, "the job to synchronize again");
        Assert.False(run.IsCompleted, $"The worker ended {again.State}: {again.LastError}");
        servers.Source.Sql($"UPDATE {db}.a SET v = 'THREE' WHERE id = 3; INSERT INTO {db}.b VALUES (2, 20, 'new');");
        servers.WaitUntilEqual(Deadline, () => $"The worker is {again.State}: {again.LastError}", ($"{db}.a", $"{db}.a"), ($"{db}.b", $"{db}.b"));
        Assert.Equal(SyncServers.Structure(servers.Source, $"{db}.b"), SyncServers.Structure(servers.Target, $"{db}.b"));
        Assert.Equal("1\tone\n2\ttwo\n3\tTHREE", servers.Target.Sql($"SELECT * FROM {db}.a ORDER BY id"));
        Assert.Null(again.LastError);
        await SyncServers.StopAsync(again, run);
    }

    [Fact]
    public async Task ATableCopiedAgainAloneIsReplacedWhileTheOthersKeepTheirChanges()
    {
        const string db = "resync_one";
        servers.Source.Sql($"""
            CREATE DATABASE {db};
            CREATE TABLE {db}.bad (id INT PRIMARY KEY, v VARCHAR(20)) ENGINE=InnoDB;
            CREATE TABLE {db}.good (id INT PRIMARY KEY, n INT) ENGINE=InnoDB;
            INSERT INTO {db}.bad VALUES (1, 'one'), (2, 'two');
            INSERT INTO {db}.good VALUES (1, 10);
            """);
        var job = servers.CreateJob([db]);
        var first = new SyncWorker(job, servers.SourceSettings, servers.TargetSettings, new SyncWorkerOptions(), NullLogger.Instance);
        var run = first.RunAsync(CancellationToken.None);
        SyncServers.WaitFor(() => first.State == SyncJobState.Synchronizing || run.IsCompleted, Deadline, "the job to synchronize");
        servers.Source.Sql($"INSERT INTO {db}.good VALUES (2, 20)");
        servers.WaitUntilEqual(Deadline, ($"{db}.good", $"{db}.good"));
        await SyncServers.StopAsync(first, run);

        // The target's copy of one table is damaged by hand; the source goes on writing to both while the job is stopped.
        servers.Target.Sql($"DELETE FROM {db}.bad WHERE id = 1; UPDATE {db}.bad SET v = 'wrong' WHERE id = 2;");
        servers.Target.Sql($"INSERT INTO {db}.good VALUES (50, 500)");
        servers.Source.Sql($"UPDATE {db}.bad SET v = 'ONE' WHERE id = 1; INSERT INTO {db}.bad VALUES (3, 'three'); UPDATE {db}.good SET n = n + 1;");

        var missing = await Assert.ThrowsAsync<DtsInputException>(() => TargetResync.PrepareAsync(job, servers.TargetSettings, [$"{db}.nothere"], Deadline, CancellationToken.None));
        Assert.Contains($"{db}.bad", missing.Remedy, StringComparison.Ordinal);
        var replaced = await TargetResync.PrepareAsync(job, servers.TargetSettings, [$"{db}.bad"], Deadline, CancellationToken.None);
        Assert.Equal([$"{db}.bad"], replaced);

        var again = new SyncWorker(job, servers.SourceSettings, servers.TargetSettings, new SyncWorkerOptions(), NullLogger.Instance);
        run = again.RunAsync(CancellationToken.None);
        SyncServers.WaitFor(() => again.State == SyncJobState.Synchronizing || run.IsCompleted, Deadline, "the job to synchronize again");
        Assert.False(run.IsCompleted, $"The worker ended {again.State}: {again.LastError}");
        servers.Source.Sql($"INSERT INTO {db}.bad VALUES (4, 'four'); INSERT INTO {db}.good VALUES (3, 30);");
        servers.WaitUntilEqual(Deadline, () => $"The worker is {again.State}: {again.LastError}", ($"{db}.bad", $"{db}.bad"));
        SyncServers.WaitFor(() => servers.Target.Sql($"SELECT COUNT(*) FROM {db}.good WHERE id = 3") == "1", Deadline, "the new row of the other table");

        // The other table was not copied again: its changes while stopped were applied once each, and the row made by
        // hand on the target is still there.
        Assert.Equal("1\t11\n2\t21\n3\t30\n50\t500", servers.Target.Sql($"SELECT * FROM {db}.good ORDER BY id"));
        Assert.Null(again.LastError);

        // While a worker runs, the target is not touched.
        var running = await Assert.ThrowsAsync<DtsInputException>(() => TargetResync.PrepareAsync(job, servers.TargetSettings, null, Deadline, CancellationToken.None));
        Assert.Contains("Stop-DtsSync", running.Remedy, StringComparison.Ordinal);
        Assert.Equal("4", servers.Target.Sql($"SELECT COUNT(*) FROM {db}.bad"));
        await SyncServers.StopAsync(again, run);
    }

    [Fact]
    public async Task AJobThatDoesNotCreateItsTablesHasThemEmptiedAndCopiedAgain()
    {
        const string db = "resync_data";
        const string ddl = $"CREATE DATABASE {db}; CREATE TABLE {db}.t (id INT PRIMARY KEY, v INT) ENGINE=InnoDB;";
        servers.Source.Sql(ddl + $"INSERT INTO {db}.t VALUES (1, 1), (2, 2);");
        servers.Target.Sql(ddl);
        var job = servers.CreateJob([db], InitialSync.Data);
        var first = new SyncWorker(job, servers.SourceSettings, servers.TargetSettings, new SyncWorkerOptions(), NullLogger.Instance);
        var run = first.RunAsync(CancellationToken.None);
        SyncServers.WaitFor(() => first.State == SyncJobState.Synchronizing || run.IsCompleted, Deadline, "the job to synchronize");
        await SyncServers.StopAsync(first, run);
        servers.Target.Sql($"DELETE FROM {db}.t; INSERT INTO {db}.t VALUES (7, 7);");

        await TargetResync.PrepareAsync(job, servers.TargetSettings, null, Deadline, CancellationToken.None);
        Assert.Equal("0", servers.Target.Sql($"SELECT COUNT(*) FROM {db}.t"));
        var again = new SyncWorker(job, servers.SourceSettings, servers.TargetSettings, new SyncWorkerOptions(), NullLogger.Instance);
        run = again.RunAsync(CancellationToken.None);
        SyncServers.WaitFor(() => again.State == SyncJobState.Synchronizing || run.IsCompleted, Deadline, "the job to synchronize again");
        Assert.False(run.IsCompleted, $"The worker ended {again.State}: {again.LastError}");
        servers.WaitUntilEqual(Deadline, ($"{db}.t", $"{db}.t"));
        Assert.Equal("1\t1\n2\t2", servers.Target.Sql($"SELECT * FROM {db}.t ORDER BY id"));
        await SyncServers.StopAsync(again, run);
    }
}
