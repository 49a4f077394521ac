using DtsPowerShell.Engine.Jobs;
using DtsPowerShell.Engine.Sync;
using Microsoft.Extensions.Logging.Abstractions;

namespace DtsPowerShell.Engine.Tests.Sync;

/// <summary>A job applies only the kinds of change it was made with (-Operation), on servers with their default settings.</summary>
public sealed class OperationFilterTests(SyncServers servers) : IClassFixture<SyncServers>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task AJobWithoutDeleteAndDdlKeepsDeletedRowsAndTheTargetsStructure()
    {
        const string db = "ops_no_delete";
        servers.Source.Sql($"""
            CREATE DATABASE {db};
            CREATE TABLE {db}.t (id INT PRIMARY KEY, v INT) ENGINE=InnoDB;
            INSERT INTO {db}.t VALUES (1, 1), (2, 2), (3, 3);
            """);
        var job = servers.CreateJob([db], operations: SyncOperations.Insert | SyncOperations.Update);
        Assert.Equal(SyncOperations.Insert | SyncOperations.Update, servers.Store.Jobs.Get(job.Id)!.Operations);
        var worker = new SyncWorker(job, servers.SourceSettings, servers.TargetSettings, new SyncWorkerOptions(), NullLogger.Instance);
        var run = worker.RunAsync(CancellationToken.None);
        SyncServers.WaitFor(() => worker.State == SyncJobState.Synchronizing || run.IsCompleted, Deadline, "the job to synchronize");

        servers.Source.Sql($"""
            DELETE FROM {db}.t WHERE id = 1;
            CREATE INDEX v ON {db}.t (v);
            UPDATE {db}.t SET v = 20 WHERE id = 2;
            INSERT INTO {db}.t VALUES (4, 4);
            """);
        SyncServers.WaitFor(() => servers.Target.Sql($"SELECT COUNT(*) FROM {db}.t WHERE id = 4") == "1", Deadline, $"the insert to arrive (the worker is {worker.State}: {worker.LastError})");

        // The delete and the index are left out; the update and the insert after them are applied.
        Assert.Equal("1\t1\n2\t20\n3\t3\n4\t4", servers.Target.Sql($"SELECT id, v FROM {db}.t ORDER BY id"));
        Assert.DoesNotContain("KEY `v`", SyncServers.Structure(servers.Target, $"{db}.t"), StringComparison.Ordinal);
        Assert.Contains("KEY `v`", SyncServers.Structure(servers.Source, $"{db}.t"), StringComparison.Ordinal);
        Assert.Equal("Skipped\tthe job's -Operation leaves DDL out",
            servers.Target.Sql($"SELECT outcome, note FROM _dts.ddl_history WHERE job_id = '{job.Id}' AND statement LIKE 'CREATE INDEX%'"));
        Assert.Equal(SyncJobState.Synchronizing, worker.State);
        await SyncServers.StopAsync(worker, run);
    }
}
