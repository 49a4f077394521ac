using DtsPowerShell.Engine.Jobs;
using DtsPowerShell.Engine.Selection;
using DtsPowerShell.Engine.Sync;
using Microsoft.Extensions.Logging.Abstractions;

namespace DtsPowerShell.Engine.Tests.Sync;

/// <summary>The sync run in-process against real servers with default settings (binlog_row_metadata=NO_LOG).</summary>
public sealed class SyncWorkerTests(SyncServers servers) : IClassFixture<SyncServers>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task FullLoadWithConcurrentWritesThenIncrementalThenResumeEndsEqual(bool loadData)
    {
        var shop = loadData ? "shop" : "shop_inserts";
        var source = servers.Source;
        source.Sql($$"""
            CREATE DATABASE {{shop}};
            CREATE TABLE {{shop}}.orders (id INT AUTO_INCREMENT PRIMARY KEY, customer VARCHAR(50) CHARACTER SET latin1, amount DECIMAL(12,2), placed TIMESTAMP(6) NULL, note TEXT) ENGINE=InnoDB;
            CREATE TABLE {{shop}}.tags (name VARCHAR(20), n INT) ENGINE=InnoDB;
            CREATE TABLE {{shop}}.wide (id BIGINT UNSIGNED PRIMARY KEY, v BIGINT UNSIGNED, e ENUM('a','b','c'), s SET('x','y','z'), b BIT(10), t TIME(3), j JSON,
                bin VARBINARY(10), f FLOAT, d DOUBLE, y YEAR, dt DATETIME(6), dat DATE, big DECIMAL(65,30), u TINYINT UNSIGNED, c CHAR(36),
                g POINT NULL, bl BLOB, tx TEXT CHARACTER SET utf8mb4, l1 VARCHAR(20) CHARACTER SET latin1, uu UUID, i6 INET6, i4 INET4) ENGINE=InnoDB;
            INSERT INTO {{shop}}.tags VALUES ('dup', 1), ('dup', 1), ('dup', 1), ('solo', 2);
            INSERT INTO {{shop}}.wide VALUES (18446744073709551615, 18446744073709551614, 'c', 'x,z', b'1010101010', '-838:59:59.000', '{"k": [1, "é"]}',
                X'00FF00', 1.2345678, 0.1e0 + 0.2e0, 2155, '9999-12-31 23:59:59.999999', '0000-00-00', '-12345678901234567890123456789012345.123456789012345678901234567891', 255, 'c3d5a2b8-0000-4000-8000-000000000000',
                ST_GeomFromText('POINT(1 2)'), X'090A5C000D4E', 'tab\there\nnew\\line\0nul 😀 \\N', 'Grüße', '123e4567-e89b-12d3-a456-426655440000', '2001:db8::ff00:42:8329', '192.0.2.1'),
                (1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, X'', '', '', NULL, NULL, NULL);
            """);
        source.Sql($"INSERT INTO {shop}.orders (customer, amount, placed, note) SELECT CONCAT('cüst', seq), seq / 7, FROM_UNIXTIME(1700000000 + seq), REPEAT('x', seq % 50) FROM {shop}.seq_1_to_30000;");

        var job = servers.CreateJob([shop]);
        var options = new SyncWorkerOptions { ChunkRows = 1000, CopyParallelism = 2, LoadData = loadData };
        var worker = new SyncWorker(job, servers.SourceSettings, servers.TargetSettings, options, NullLogger.Instance);
        var run = worker.RunAsync(CancellationToken.None);

        // Writes while the copy runs: into copied and not yet copied ranges, on the keyless table, and a key change.
        SyncServers.WaitFor(() => worker.Progress.RowsCopied > 0 || run.IsCompleted, Deadline, "the copy to start");
        for (var i = 0; i < 50; i++)
        {
            source.Sql($"""
                INSERT INTO {shop}.orders (customer, amount, placed) VALUES ('new{i}', {i}.5, NOW(6));
                UPDATE {shop}.orders SET amount = amount + 1, note = 'touched' WHERE id IN ({1 + (i * 577 % 30000)}, {29999 - i});
                DELETE FROM {shop}.orders WHERE id = {100 + (i * 311)};
                INSERT INTO {shop}.tags VALUES ('dup', 1);
                """);
        }

        source.Sql($"UPDATE {shop}.orders SET id = 40000 WHERE id = 2; DELETE FROM {shop}.tags WHERE name = 'dup' LIMIT 1; UPDATE {shop}.tags SET n = 5 WHERE name = 'solo';");
        servers.WaitUntilEqual(Deadline, () => $"The worker is {worker.State}: {worker.LastError}", ($"{shop}.orders", $"{shop}.orders"), ($"{shop}.tags", $"{shop}.tags"), ($"{shop}.wide", $"{shop}.wide"));
        Assert.Equal(SyncJobState.Synchronizing, worker.State);
        Assert.Equal(source.Sql($"SELECT * FROM {shop}.wide"), servers.Target.Sql($"SELECT * FROM {shop}.wide"));
        Assert.Equal(source.Sql($"SELECT UNIX_TIMESTAMP(placed) FROM {shop}.orders ORDER BY id LIMIT 3"), servers.Target.Sql($"SELECT UNIX_TIMESTAMP(placed) FROM {shop}.orders ORDER BY id LIMIT 3"));

        await SyncServers.StopAsync(worker, run);

        // Changes while stopped arrive after a restart, once.
        source.Sql($"INSERT INTO {shop}.tags VALUES ('dup', 1), ('later', 3); UPDATE {shop}.wide SET v = 7; DELETE FROM {shop}.orders WHERE id < 50;");
        var resumed = new SyncWorker(job, servers.SourceSettings, servers.TargetSettings, options, NullLogger.Instance);
        var second = resumed.RunAsync(CancellationToken.None);
        servers.WaitUntilEqual(Deadline, ($"{shop}.orders", $"{shop}.orders"), ($"{shop}.tags", $"{shop}.tags"), ($"{shop}.wide", $"{shop}.wide"));
        Assert.Equal("53", servers.Target.Sql($"SELECT COUNT(*) FROM {shop}.tags WHERE name = 'dup'"));
        resumed.RequestStop();
        Assert.Equal(SyncJobState.Stopped, await second.WaitAsync(Deadline));
        Assert.Null(resumed.LastError);
    }

    [Theory]
    [InlineData("target")]
    [InlineData("source")]
    public async Task AServerRestartedMidSyncIsWaitedOutAndTheJobGoesOnByItself(string side)
    {
        var db = "restart_" + side;
        servers.Source.Sql($"CREATE DATABASE {db}; CREATE TABLE {db}.t (id INT PRIMARY KEY, v INT) ENGINE=InnoDB; CREATE TABLE {db}.dups (v INT) ENGINE=InnoDB; INSERT INTO {db}.t VALUES (1, 1);");
        var job = servers.CreateJob([db]);
        var worker = new SyncWorker(job, servers.SourceSettings, servers.TargetSettings, new SyncWorkerOptions { MaxRetryDelay = TimeSpan.FromSeconds(1) }, NullLogger.Instance);
        var run = worker.RunAsync(CancellationToken.None);
        SyncServers.WaitFor(() => worker.State == SyncJobState.Synchronizing, Deadline, "the job to synchronize");
        servers.Source.Sql($"INSERT INTO {db}.t VALUES (2, 2); INSERT INTO {db}.dups VALUES (1), (1);");
        servers.WaitUntilEqual(Deadline, ($"{db}.t", $"{db}.t"));

        (side == "target" ? servers.Target : servers.Source).Restart();
        servers.Source.Sql($"INSERT INTO {db}.t VALUES (3, 3); UPDATE {db}.t SET v = 20 WHERE id = 2; INSERT INTO {db}.dups VALUES (1);");
        SyncServers.WaitFor(() => worker.Retries > 0 || run.IsCompleted, Deadline, "the worker to notice the restart");

        try
        {
            servers.WaitUntilEqual(Deadline, ($"{db}.t", $"{db}.t"), ($"{db}.dups", $"{db}.dups"));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidOperationException($"{e.Message} The worker is {worker.State}, retried {worker.Retries} times, last error: {worker.LastError}", e);
        }

        Assert.Equal("3", servers.Target.Sql($"SELECT COUNT(*) FROM {db}.dups"));
        Assert.Equal(SyncJobState.Synchronizing, worker.State);
        SyncServers.WaitFor(() => worker.LastError is null, Deadline, "the retry message to clear");
        await SyncServers.StopAsync(worker, run);
    }

    [Fact]
    public async Task ASourceWithFullRowMetadataSyncsTheSame()
    {
        using var source = SyncServers.StartFullMetadataSource();
        source.Sql("CREATE DATABASE meta; CREATE TABLE meta.t (id BIGINT UNSIGNED PRIMARY KEY, name VARCHAR(20) CHARACTER SET latin1, e ENUM('x','y')) ENGINE=InnoDB; INSERT INTO meta.t VALUES (18446744073709551615, 'ü', 'y');");
        var settings = SyncServers.SettingsOf(source);
        var selection = ObjectSelection.Parse(["meta"]);
        var job = servers.Store.Jobs.Create(new SyncJobDefinition(null, settings, servers.TargetSettings, selection, NameMapping.Create(new Dictionary<string, string> { ["meta.t"] = "t2" }, selection), InitialSync.Schema | InitialSync.Data));
        var worker = new SyncWorker(job, settings, servers.TargetSettings, new SyncWorkerOptions(), NullLogger.Instance);
        var run = worker.RunAsync(CancellationToken.None);
        SyncServers.WaitFor(() => worker.State == SyncJobState.Synchronizing || run.IsCompleted, Deadline, "the job to synchronize");
        source.Sql("UPDATE meta.t SET name = 'ä', e = 'x' WHERE id = 18446744073709551615; INSERT INTO meta.t VALUES (5, 'ß', NULL);");
        SyncServers.WaitFor(() => servers.Target.Sql("SELECT COUNT(*) FROM meta.t2") == "2", Deadline, "the insert to arrive");
        Assert.Equal(source.Sql("SELECT * FROM meta.t ORDER BY id"), servers.Target.Sql("SELECT * FROM meta.t2 ORDER BY id"));
        await SyncServers.StopAsync(worker, run);
    }

    [Fact]
    public async Task ADumpThreadKilledInsideALargeTransactionDiscardsTheHalfDeliveredAndAppliesItOnce()
    {
        const string db = "killed_dump";
        servers.Source.Sql($"CREATE DATABASE {db}; CREATE TABLE {db}.t (id INT PRIMARY KEY, pad VARCHAR(100)) ENGINE=InnoDB;");
        var job = servers.CreateJob([db]);
        var worker = new SyncWorker(job, servers.SourceSettings, servers.TargetSettings, new SyncWorkerOptions { MaxRetryDelay = TimeSpan.FromMilliseconds(200) }, NullLogger.Instance);
        var run = worker.RunAsync(CancellationToken.None);
        SyncServers.WaitFor(() => worker.State == SyncJobState.Synchronizing, Deadline, "the job to synchronize");

        servers.Source.Sql($"INSERT INTO {db}.t SELECT seq, REPEAT('x', 100) FROM {db}.seq_1_to_200000;");
        // Kill the dump thread again and again while the transaction streams: a kill lands inside it.
        var until = DateTime.UtcNow.AddSeconds(3);
        while (DateTime.UtcNow < until && worker.Retries < 3)
        {
            foreach (var id in servers.Source.Sql("SELECT ID FROM information_schema.PROCESSLIST WHERE COMMAND LIKE 'Binlog Dump%'").Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                servers.Source.Sql($"KILL {id}");
            }

            Thread.Sleep(100);
        }

        servers.WaitUntilEqual(Deadline, () => $"The worker is {worker.State}: {worker.LastError}", ($"{db}.t", $"{db}.t"));
        Assert.True(worker.Retries > 0, "the dump thread was never killed");
        Assert.Equal(SyncJobState.Synchronizing, worker.State);
        await SyncServers.StopAsync(worker, run);
    }

    [Fact]
    public async Task SchemaInitCreatesViewsInDependencyOrderRoutinesAndEventsWithoutAMissingDefiner()
    {
        const string db = "objects";
        servers.Source.Sql($"""
            CREATE USER IF NOT EXISTS 'only_on_source'@'%';
            GRANT ALL ON {db}.* TO 'only_on_source'@'%';
            CREATE DATABASE {db};
            CREATE TABLE {db}.t (id INT PRIMARY KEY, v INT) ENGINE=InnoDB;
            INSERT INTO {db}.t VALUES (1, 10), (2, 20);
            CREATE VIEW {db}.z_base AS SELECT id, v FROM {db}.t;
            CREATE DEFINER='only_on_source'@'%' VIEW {db}.a_top AS SELECT SUM(v) AS total FROM {db}.z_base;
            CREATE FUNCTION {db}.twice(x INT) RETURNS INT DETERMINISTIC RETURN x * 2;
            CREATE PROCEDURE {db}.bump() UPDATE {db}.t SET v = v + 1;
            CREATE EVENT {db}.nightly ON SCHEDULE EVERY 1 DAY DO UPDATE {db}.t SET v = 0;
            """);
        var job = servers.CreateJob([db], mapping: new Dictionary<string, string> { [db] = db + "_copy" });
        var worker = new SyncWorker(job, servers.SourceSettings, servers.TargetSettings, new SyncWorkerOptions(), NullLogger.Instance);
        var run = worker.RunAsync(CancellationToken.None);
        SyncServers.WaitFor(() => worker.State == SyncJobState.Synchronizing || run.IsCompleted, Deadline, "the job to synchronize");
        Assert.Null(worker.LastError);

        var copy = db + "_copy";
        Assert.Equal("30", servers.Target.Sql($"SELECT total FROM {copy}.a_top"));
        Assert.Equal("42", servers.Target.Sql($"SELECT {copy}.twice(21)"));
        Assert.Equal("1", servers.Target.Sql($"SELECT COUNT(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = '{copy}' AND ROUTINE_NAME = 'bump'"));
        Assert.Equal("SLAVESIDE_DISABLED", servers.Target.Sql($"SELECT STATUS FROM information_schema.EVENTS WHERE EVENT_SCHEMA = '{copy}' AND EVENT_NAME = 'nightly'"));
        await SyncServers.StopAsync(worker, run);
    }

    [Theory]
    [InlineData("purged")]
    [InlineData("xa")]
    public async Task APurgedBinlogOrAnXaTransactionStopsTheJobAsFailedSayingWhatToDo(string what)
    {
        var db = "stops_" + what;
        servers.Source.Sql($"CREATE DATABASE {db}; CREATE TABLE {db}.t (id INT PRIMARY KEY) ENGINE=InnoDB;");
        var job = servers.CreateJob([db]);
        var first = new SyncWorker(job, servers.SourceSettings, servers.TargetSettings, new SyncWorkerOptions(), NullLogger.Instance);
        var run = first.RunAsync(CancellationToken.None);
        SyncServers.WaitFor(() => first.State == SyncJobState.Synchronizing, Deadline, "the job to synchronize");
        if (what == "xa")
        {
            servers.Source.Sql($"XA START 'dts1'; INSERT INTO {db}.t VALUES (1); XA END 'dts1'; XA PREPARE 'dts1'; XA COMMIT 'dts1';");
            Assert.Equal(SyncJobState.Failed, await run.WaitAsync(Deadline));
            Assert.Contains("XA", first.LastError, StringComparison.Ordinal);
            return;
        }

        first.RequestStop();
        Assert.Equal(SyncJobState.Stopped, await run.WaitAsync(Deadline));
        servers.Source.Sql($"INSERT INTO {db}.t VALUES (1); FLUSH BINARY LOGS; FLUSH BINARY LOGS;");
        servers.PurgeSourceBinlogs(Deadline);
        var second = new SyncWorker(job, servers.SourceSettings, servers.TargetSettings, new SyncWorkerOptions(), NullLogger.Instance);
        Assert.Equal(SyncJobState.Failed, await second.RunAsync(CancellationToken.None).WaitAsync(Deadline));
        Assert.Contains("purged", second.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheGtidStateCoversEveryDomainFromTheStart()
    {
        const string db = "gtid_domains";
        servers.Source.Sql($"CREATE DATABASE {db}; CREATE TABLE {db}.t (id INT PRIMARY KEY) ENGINE=InnoDB; SET SESSION gtid_domain_id = 7; INSERT INTO {db}.t VALUES (1);");
        var job = servers.CreateJob([db], InitialSync.None);
        var worker = new SyncWorker(job, servers.SourceSettings, servers.TargetSettings, new SyncWorkerOptions(), NullLogger.Instance);
        var run = worker.RunAsync(CancellationToken.None);
        SyncServers.WaitFor(() => worker.State == SyncJobState.Synchronizing || run.IsCompleted, Deadline, "the job to synchronize");
        servers.Target.Sql($"CREATE DATABASE {db}; CREATE TABLE {db}.t (id INT PRIMARY KEY) ENGINE=InnoDB;");
        servers.Source.Sql($"INSERT INTO {db}.t VALUES (2);");
        SyncServers.WaitFor(() => servers.Target.Sql($"SELECT COUNT(*) FROM {db}.t") == "1", Deadline, "the change to arrive");
        SyncServers.WaitFor(() => worker.Progress.Position?.GtidSet?.Contains("7-", StringComparison.Ordinal) == true, Deadline, $"domain 7 in the GTID state (it is {worker.Progress.Position?.GtidSet})");
        await SyncServers.StopAsync(worker, run);
    }
}
