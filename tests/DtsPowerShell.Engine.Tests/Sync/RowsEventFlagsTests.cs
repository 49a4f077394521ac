using DtsPowerShell.Engine.Jobs;
using DtsPowerShell.Engine.Sync;
using Microsoft.Extensions.Logging.Abstractions;

namespace DtsPowerShell.Engine.Tests.Sync;

/// <summary>Each rows event is applied under the checks the source wrote it under, as a replica applies it.</summary>
public sealed class RowsEventFlagsTests(SyncServers servers) : IClassFixture<SyncServers>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task RowsWrittenWithForeignKeyAndUniqueChecksOffArriveAndTheChecksComeBackOnAfterThem()
    {
        const string db = "fk_flags";
        servers.Source.Sql($"""
            CREATE DATABASE {db};
            CREATE TABLE {db}.parent (id INT PRIMARY KEY) ENGINE=InnoDB;
            CREATE TABLE {db}.child (id INT PRIMARY KEY, parent_id INT, FOREIGN KEY (parent_id) REFERENCES {db}.parent (id) ON DELETE CASCADE) ENGINE=InnoDB;
            INSERT INTO {db}.parent VALUES (1), (2);
            INSERT INTO {db}.child VALUES (10, 1), (20, 2);
            """);
        var job = servers.CreateJob([db]);
        var worker = new SyncWorker(job, servers.SourceSettings, servers.TargetSettings, new SyncWorkerOptions(), NullLogger.Instance);
        var run = worker.RunAsync(CancellationToken.None);
        SyncServers.WaitFor(() => worker.State == SyncJobState.Synchronizing || run.IsCompleted, Deadline, "the job to synchronize");

        // As ape-dts's cdc/basic_test writes them: children of a parent that does not exist (yet), under checks off.
        servers.Source.Sql($"""
            SET SESSION foreign_key_checks = 0, SESSION unique_checks = 0;
            INSERT INTO {db}.child VALUES (30, 3), (31, 3);
            UPDATE {db}.child SET parent_id = 4 WHERE id = 10;
            SET SESSION foreign_key_checks = 1, SESSION unique_checks = 1;
            """);
        // Checks on again: a cascade, which the binlog does not carry, must happen on the target too.
        servers.Source.Sql($"DELETE FROM {db}.parent WHERE id = 2;");
        servers.WaitUntilEqual(Deadline, () => $"The worker is {worker.State}: {worker.LastError}", ($"{db}.child", $"{db}.child"), ($"{db}.parent", $"{db}.parent"));
        Assert.Equal("10\t4\n30\t3\n31\t3", servers.Target.Sql($"SELECT * FROM {db}.child ORDER BY id"));
        Assert.Equal(SyncJobState.Synchronizing, worker.State);
        Assert.Null(worker.LastError);
        await SyncServers.StopAsync(worker, run);
    }
}
