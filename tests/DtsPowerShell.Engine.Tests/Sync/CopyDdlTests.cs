using DtsPowerShell.Engine.Jobs;
using DtsPowerShell.Engine.Sync;
using Microsoft.Extensions.Logging.Abstractions;
using MySqlConnector;

namespace DtsPowerShell.Engine.Tests.Sync;

/// <summary>A table altered after the job read its schema and before its copy is copied with its new structure.</summary>
public sealed class CopyDdlTests(SyncServers servers) : IClassFixture<SyncServers>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task ATableAlteredWhileWaitingForItsCopyIsCopiedWithItsNewStructureAndTheJobGoesOn()
    {
        const string db = "copy_ddl";
        servers.Source.Sql($"""
            CREATE DATABASE {db};
            CREATE TABLE {db}.plain (id INT PRIMARY KEY, v VARCHAR(20)) ENGINE=InnoDB;
            CREATE TABLE {db}.altered (id INT PRIMARY KEY, name VARCHAR(20), gone INT) ENGINE=InnoDB;
            INSERT INTO {db}.plain VALUES (1, 'a'), (2, 'b');
            INSERT INTO {db}.altered VALUES (1, 'one', 10), (2, 'two', 20), (3, 'three', 30);
            """);

        // A session of the source's own holds the table, so the job reads its schema and creates it on the target, and
        // its copy then waits for the table while this session changes it and writes rows before and after the change.
        await using var holder = new MySqlConnection($"Server={servers.Source.Host};Port={servers.Source.Port};User ID=root;SslMode=None");
        await holder.OpenAsync();
        await ExecuteAsync(holder, $"LOCK TABLES {db}.altered WRITE");
        var job = servers.CreateJob([db]);
        var worker = new SyncWorker(job, servers.SourceSettings, servers.TargetSettings, new SyncWorkerOptions(), NullLogger.Instance);
        var run = worker.RunAsync(CancellationToken.None);
        SyncServers.WaitFor(() => run.IsCompleted || servers.Source.Sql(
            "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE STATE LIKE 'Waiting for table metadata lock' AND INFO LIKE '%altered%'") == "1",
            Deadline, "the copy to wait for the locked table");
        Assert.Equal("id,name,gone", Columns(servers.Target, db));

        await ExecuteAsync(holder, $"""
            INSERT INTO {db}.altered VALUES (4, 'four', 40);
            ALTER TABLE {db}.altered DROP COLUMN gone, ADD COLUMN added INT NOT NULL DEFAULT 7 AFTER id, MODIFY name VARCHAR(40);
            INSERT INTO {db}.altered (id, added, name) VALUES (5, 8, 'five');
            UPDATE {db}.altered SET added = 9 WHERE id = 1;
            UNLOCK TABLES
            """);

        SyncServers.WaitFor(() => worker.State == SyncJobState.Synchronizing || run.IsCompleted, Deadline, "the job to synchronize");
        Assert.False(run.IsCompleted, $"The worker ended {worker.State}: {worker.LastError}");
        Assert.Equal("id,added,name", Columns(servers.Target, db));

        // Rows and a DDL after the copy are applied as usual, under the new structure.
        servers.Source.Sql($"""
            UPDATE {db}.altered SET name = 'FIVE' WHERE id = 5;
            ALTER TABLE {db}.altered ADD COLUMN later DATE NULL;
            INSERT INTO {db}.altered VALUES (6, 1, 'six', '2024-02-29');
            DELETE FROM {db}.altered WHERE id = 2;
            INSERT INTO {db}.plain VALUES (3, 'c');
            """);
        servers.WaitUntilEqual(Deadline, () => $"The worker is {worker.State}: {worker.LastError}", ($"{db}.altered", $"{db}.altered"), ($"{db}.plain", $"{db}.plain"));
        Assert.Equal(SyncServers.Structure(servers.Source, $"{db}.altered"), SyncServers.Structure(servers.Target, $"{db}.altered"));
        Assert.Equal(servers.Source.Sql($"SELECT * FROM {db}.altered ORDER BY id"), servers.Target.Sql($"SELECT * FROM {db}.altered ORDER BY id"));
        Assert.Equal("1\t9\tone\tNULL", servers.Target.Sql($"SELECT * FROM {db}.altered WHERE id = 1"));
        Assert.Null(worker.LastError);

        // The ALTER before the copy is recorded as left to the copy; the one after it ran on the target.
        Assert.Equal("Skipped\nApplied", servers.Target.Sql($"SELECT outcome FROM _dts.ddl_history WHERE job_id = '{job.Id}' AND statement LIKE 'ALTER TABLE%' ORDER BY seq"));
        await SyncServers.StopAsync(worker, run);
    }

    [Fact]
    public async Task ATableAlteredBeforeItsCopyBeganIsCopiedWithItsNewStructure()
    {
        const string db = "copy_ddl_before";
        servers.Source.Sql($"""
            CREATE DATABASE {db};
            CREATE TABLE {db}.first (id INT PRIMARY KEY) ENGINE=InnoDB;
            CREATE TABLE {db}.altered (id INT PRIMARY KEY, name VARCHAR(20)) ENGINE=InnoDB;
            INSERT INTO {db}.first VALUES {string.Join(",", Enumerable.Range(1, 500).Select(i => $"({i})"))};
            INSERT INTO {db}.altered VALUES (1, 'one'), (2, 'two');
            ANALYZE TABLE {db}.first, {db}.altered;
            """);

        // One table at a time, the larger first: while its copy waits for it, the other is changed, so its own copy
        // begins after the change.
        await using var holder = new MySqlConnection($"Server={servers.Source.Host};Port={servers.Source.Port};User ID=root;SslMode=None");
        await holder.OpenAsync();
        await ExecuteAsync(holder, $"LOCK TABLES {db}.first WRITE");
        var job = servers.CreateJob([db]);
        var worker = new SyncWorker(job, servers.SourceSettings, servers.TargetSettings, new SyncWorkerOptions { CopyParallelism = 1 }, NullLogger.Instance);
        var run = worker.RunAsync(CancellationToken.None);
        SyncServers.WaitFor(() => run.IsCompleted || servers.Source.Sql(
            "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE STATE LIKE 'Waiting for table metadata lock' AND INFO LIKE '%first%'") == "1",
            Deadline, "the copy to wait for the locked table");
        servers.Source.Sql($"""
            ALTER TABLE {db}.altered ADD COLUMN note TEXT, ADD KEY (name);
            INSERT INTO {db}.altered VALUES (3, 'three', 'new');
            """);
        await ExecuteAsync(holder, "UNLOCK TABLES");

        SyncServers.WaitFor(() => worker.State == SyncJobState.Synchronizing || run.IsCompleted, Deadline, "the job to synchronize");
        Assert.False(run.IsCompleted, $"The worker ended {worker.State}: {worker.LastError}");
        servers.Source.Sql($"UPDATE {db}.altered SET note = 'changed' WHERE id = 1");
        servers.WaitUntilEqual(Deadline, () => $"The worker is {worker.State}: {worker.LastError}", ($"{db}.altered", $"{db}.altered"), ($"{db}.first", $"{db}.first"));
        Assert.Equal(SyncServers.Structure(servers.Source, $"{db}.altered"), SyncServers.Structure(servers.Target, $"{db}.altered"));
        Assert.Equal("1\tone\tchanged\n2\ttwo\tNULL\n3\tthree\tnew", servers.Target.Sql($"SELECT * FROM {db}.altered ORDER BY id"));
        await SyncServers.StopAsync(worker, run);
    }

    private static string Columns(TestServers.MariaDbServer server, string db) =>
        server.Sql($"SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY ORDINAL_POSITION) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '{db}' AND TABLE_NAME = 'altered'");

    private static async Task ExecuteAsync(MySqlConnection connection, string sql)
    {
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
