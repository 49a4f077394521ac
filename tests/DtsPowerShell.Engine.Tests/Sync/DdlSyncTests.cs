using DtsPowerShell.Engine.Jobs;
using DtsPowerShell.Engine.Selection;
using DtsPowerShell.Engine.Sync;
using DtsPowerShell.TestServers;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace DtsPowerShell.Engine.Tests.Sync;

/// <summary>DDL followed by binlog position and applied on the target, on servers with default settings.</summary>
public sealed class DdlSyncTests(SyncServers servers, ITestOutputHelper output) : IClassFixture<SyncServers>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AJobFarBehindReadsEveryRowWithTheColumnsItsTableHadWhenItWasWritten(bool fullRowMetadata)
    {
        var db = fullRowMetadata ? "behind_full" : "behind";
        using var ownSource = fullRowMetadata ? SyncServers.StartFullMetadataSource() : null;
        var source = ownSource ?? servers.Source;
        source.Sql($"""
            CREATE DATABASE {db};
            CREATE TABLE {db}.t (id INT PRIMARY KEY, a INT, b VARCHAR(10), c INT) ENGINE=InnoDB;
            INSERT INTO {db}.t VALUES (1, 10, 'one', 100), (2, 20, 'two', 200);
            """);
        var job = CreateJob(source, [$"{db}.t"]);
        var (worker, run) = await StartAsync(job, source);
        await SyncServers.StopAsync(worker, run);

        // While the job is stopped: add a column, write, drop another, change a type, reorder with AFTER, write again.
        source.Sql($"""
            ALTER TABLE {db}.t ADD COLUMN d VARCHAR(20) NOT NULL DEFAULT 'dflt';
            INSERT INTO {db}.t VALUES (3, 30, 'three', 300, 'd3');
            UPDATE {db}.t SET d = 'd1', b = 'uno' WHERE id = 1;
            ALTER TABLE {db}.t DROP COLUMN b;
            INSERT INTO {db}.t VALUES (4, 40, 400, 'd4');
            ALTER TABLE {db}.t MODIFY c BIGINT UNSIGNED;
            INSERT INTO {db}.t VALUES (5, 50, 18446744073709551615, 'd5');
            ALTER TABLE {db}.t MODIFY d VARCHAR(20) NOT NULL DEFAULT 'dflt' AFTER id, ADD COLUMN e DATETIME(3) NULL FIRST;
            INSERT INTO {db}.t VALUES ('2026-11-30 10:11:12.345', 6, 'd6', 60, 6);
            UPDATE {db}.t SET a = a + 1 WHERE id IN (2, 5);
            DELETE FROM {db}.t WHERE id = 4;
            """);
        (worker, run) = await StartAsync(job, source);
        WaitUntilEqual(source, $"{db}.t", $"{db}.t", worker);
        Assert.Equal(SyncServers.Structure(source, $"{db}.t"), SyncServers.Structure(servers.Target, $"{db}.t"));
        Assert.Equal(source.Sql($"SELECT * FROM {db}.t ORDER BY id"), servers.Target.Sql($"SELECT * FROM {db}.t ORDER BY id"));
        await SyncServers.StopAsync(worker, run);
        Assert.Null(worker.LastError);
    }

    [Fact]
    public async Task AWholeDatabaseGetsEveryListedStatementAndOnlyTheSyncSkipsTargetTriggers()
    {
        const string db = "whole";
        var source = servers.Source;
        source.Sql($"CREATE DATABASE {db}; CREATE TABLE {db}.t (id INT PRIMARY KEY, v INT) ENGINE=InnoDB; INSERT INTO {db}.t VALUES (1, 1), (2, 2);");
        var job = CreateJob(source, [db]);
        var (worker, run) = await StartAsync(job, source);

        source.Sql($"""
            CREATE TABLE {db}.n (id INT AUTO_INCREMENT PRIMARY KEY, s VARCHAR(10)) ENGINE=InnoDB;
            INSERT INTO {db}.n (s) VALUES ('a'), ('b');
            CREATE TABLE {db}.n_like LIKE {db}.n;
            INSERT INTO {db}.n_like SELECT * FROM {db}.n;
            CREATE TABLE {db}.ctas ENGINE=InnoDB AS SELECT id, v FROM {db}.t;
            ALTER TABLE {db}.t ADD COLUMN w INT AFTER id, ADD INDEX iv (v);
            CREATE INDEX iw ON {db}.t (w);
            DROP INDEX iv ON {db}.t;
            UPDATE {db}.t SET w = id * 2;
            RENAME TABLE {db}.n TO {db}.n2;
            INSERT INTO {db}.n2 (s) VALUES ('c');
            TRUNCATE TABLE {db}.n_like;
            INSERT INTO {db}.n_like VALUES (10, 'z');
            CREATE VIEW {db}.v AS SELECT id, v FROM {db}.t;
            ALTER VIEW {db}.v AS SELECT id FROM {db}.t;
            CREATE VIEW {db}.v_gone AS SELECT 1 AS one;
            DROP VIEW {db}.v_gone;
            CREATE PROCEDURE {db}.p() SELECT 1;
            ALTER PROCEDURE {db}.p COMMENT 'altered';
            CREATE FUNCTION {db}.f(x INT) RETURNS INT DETERMINISTIC RETURN x + 1;
            ALTER FUNCTION {db}.f COMMENT 'altered too';
            CREATE PROCEDURE {db}.p_gone() SELECT 1;
            DROP PROCEDURE {db}.p_gone;
            CREATE FUNCTION {db}.f_gone() RETURNS INT DETERMINISTIC RETURN 1;
            DROP FUNCTION {db}.f_gone;
            CREATE TABLE {db}.audit (id INT AUTO_INCREMENT PRIMARY KEY, msg VARCHAR(20)) ENGINE=InnoDB;
            CREATE TRIGGER {db}.tr AFTER INSERT ON {db}.t FOR EACH ROW INSERT INTO {db}.audit (msg) VALUES (CONCAT('ins ', NEW.id));
            INSERT INTO {db}.t (id, v) VALUES (1000, 1);
            CREATE TRIGGER {db}.tr_gone BEFORE UPDATE ON {db}.t FOR EACH ROW SET NEW.v = NEW.v;
            DROP TRIGGER {db}.tr_gone;
            CREATE EVENT {db}.e ON SCHEDULE EVERY 1 DAY DO DELETE FROM {db}.audit;
            CREATE EVENT {db}.e_gone ON SCHEDULE EVERY 1 DAY DO SELECT 1;
            DROP EVENT {db}.e_gone;
            CREATE TABLE {db}.dropped (id INT) ENGINE=InnoDB;
            DROP TABLE {db}.dropped;
            ANALYZE TABLE {db}.t;
            CREATE DATABASE IF NOT EXISTS {db};
            CREATE SCHEMA IF NOT EXISTS {db};
            ALTER DATABASE {db} COMMENT 'not applied';
            ALTER EVENT {db}.e COMMENT 'not applied';
            CREATE TABLE {db}.marker (id INT PRIMARY KEY) ENGINE=InnoDB;
            INSERT INTO {db}.marker VALUES (1);
            """);
        SyncServers.WaitFor(() => servers.Target.Sql($"SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '{db}' AND TABLE_NAME = 'marker'") == "1"
            && servers.Target.Sql($"SELECT COUNT(*) FROM {db}.marker") == "1" || worker.State == SyncJobState.Failed, Deadline, "the marker row");
        Assert.True(worker.State == SyncJobState.Synchronizing, worker.LastError);

        foreach (var table in new[] { "t", "n2", "n_like", "ctas", "audit", "marker" })
        {
            Assert.Equal(SyncServers.Fingerprint(source, $"{db}.{table}"), SyncServers.Fingerprint(servers.Target, $"{db}.{table}"));
            Assert.Equal(SyncServers.Structure(source, $"{db}.{table}"), SyncServers.Structure(servers.Target, $"{db}.{table}"));
        }

        Assert.Equal(Names(source, "TABLES", "TABLE", db), Names(servers.Target, "TABLES", "TABLE", db));
        Assert.Equal(Names(source, "ROUTINES", "ROUTINE", db), Names(servers.Target, "ROUTINES", "ROUTINE", db));
        Assert.Equal(Names(source, "TRIGGERS", "TRIGGER", db), Names(servers.Target, "TRIGGERS", "TRIGGER", db));
        Assert.Equal(Names(source, "EVENTS", "EVENT", db), Names(servers.Target, "EVENTS", "EVENT", db));
        Assert.Equal("select `whole`.`t`.`id` AS `id` from `whole`.`t`", servers.Target.Sql($"SELECT VIEW_DEFINITION FROM information_schema.VIEWS WHERE TABLE_SCHEMA = '{db}' AND TABLE_NAME = 'v'"));
        Assert.Equal("altered too", servers.Target.Sql($"SELECT ROUTINE_COMMENT FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = '{db}' AND ROUTINE_NAME = 'f'"));
        Assert.Equal("SLAVESIDE_DISABLED", servers.Target.Sql($"SELECT STATUS FROM information_schema.EVENTS WHERE EVENT_SCHEMA = '{db}' AND EVENT_NAME = 'e'"));
        // The source's trigger wrote one audit row, which arrived through the binlog; the target's did not add another.
        Assert.Equal("1", servers.Target.Sql($"SELECT COUNT(*) FROM {db}.audit"));
        servers.Target.Sql($"INSERT INTO {db}.t (id, v) VALUES (2000, 2)");
        Assert.Equal("2", servers.Target.Sql($"SELECT COUNT(*) FROM {db}.audit"));
        servers.Target.Sql($"DELETE FROM {db}.audit WHERE msg = 'ins 2000'; DELETE FROM {db}.t WHERE id = 2000;");

        Assert.Equal("Skipped", servers.Target.Sql($"SELECT outcome FROM _dts.ddl_history WHERE job_id = '{job.Id}' AND statement LIKE 'ANALYZE%'"));
        Assert.Equal("Applied,Applied", servers.Target.Sql($"SELECT GROUP_CONCAT(outcome ORDER BY seq) FROM _dts.ddl_history WHERE job_id = '{job.Id}' AND (statement LIKE 'CREATE DATABASE%' OR statement LIKE 'CREATE SCHEMA%')"));
        Assert.Equal("Skipped,Skipped", servers.Target.Sql($"SELECT GROUP_CONCAT(outcome ORDER BY seq) FROM _dts.ddl_history WHERE job_id = '{job.Id}' AND (statement LIKE 'ALTER DATABASE%' OR statement LIKE 'ALTER %EVENT%')"));
        Assert.Equal("", servers.Target.Sql($"SELECT EVENT_COMMENT FROM information_schema.EVENTS WHERE EVENT_SCHEMA = '{db}' AND EVENT_NAME = 'e'"));
        Assert.Equal("Applied", servers.Target.Sql($"SELECT outcome FROM _dts.ddl_history WHERE job_id = '{job.Id}' AND statement LIKE 'RENAME TABLE%'"));
        await SyncServers.StopAsync(worker, run);
    }

    [Fact]
    public async Task SelectedTablesGetOnlyTheirTableStatementsAndFollowARenameInsideTheSelection()
    {
        const string db = "tables_only";
        var source = servers.Source;
        source.Sql($"""
            CREATE DATABASE {db};
            CREATE TABLE {db}.a (id INT PRIMARY KEY, v INT) ENGINE=InnoDB;
            CREATE TABLE {db}.b (id INT PRIMARY KEY, v INT) ENGINE=InnoDB;
            CREATE TABLE {db}.other (id INT PRIMARY KEY) ENGINE=InnoDB;
            INSERT INTO {db}.a VALUES (1, 1); INSERT INTO {db}.b VALUES (1, 1);
            """);
        var job = CreateJob(source, [$"{db}.a", $"{db}.b", $"{db}.b_new"]);
        var (worker, run) = await StartAsync(job, source);

        source.Sql($"""
            ALTER TABLE {db}.a ADD COLUMN note VARCHAR(20) DEFAULT 'n';
            CREATE INDEX av ON {db}.a (v);
            INSERT INTO {db}.a VALUES (2, 2, 'two');
            CREATE TABLE {db}.c (id INT PRIMARY KEY) ENGINE=InnoDB;
            CREATE VIEW {db}.av AS SELECT * FROM {db}.a;
            ALTER TABLE {db}.other ADD COLUMN x INT;
            RENAME TABLE {db}.b TO {db}.b_new;
            INSERT INTO {db}.b_new VALUES (2, 2);
            TRUNCATE TABLE {db}.a;
            INSERT INTO {db}.a VALUES (3, 3, 'three');
            DROP INDEX av ON {db}.a;
            RENAME TABLE {db}.a TO {db}.a_outside;
            INSERT INTO {db}.a_outside VALUES (4, 4, 'not synced');
            """);
        SyncServers.WaitFor(() => servers.Target.Sql($"SELECT COUNT(*) FROM _dts.ddl_history WHERE job_id = '{job.Id}' AND statement LIKE 'RENAME TABLE {db}.a %'") == "1" || worker.State == SyncJobState.Failed, Deadline, "the last rename");
        Assert.True(worker.State == SyncJobState.Synchronizing, worker.LastError);

        WaitUntilEqual(source, $"{db}.b_new", $"{db}.b_new", worker);
        Assert.Equal(SyncServers.Structure(source, $"{db}.b_new"), SyncServers.Structure(servers.Target, $"{db}.b_new"));
        // Renamed out of the selection: renamed on the target as well, with the rows it had then, and a warning.
        Assert.Equal("3\tthree", servers.Target.Sql($"SELECT id, note FROM {db}.a_outside"));
        Assert.Equal(SyncServers.Structure(source, $"{db}.a_outside"), SyncServers.Structure(servers.Target, $"{db}.a_outside"));
        Assert.Equal("Warned", servers.Target.Sql($"SELECT outcome FROM _dts.ddl_history WHERE job_id = '{job.Id}' AND statement LIKE 'RENAME TABLE {db}.a %'"));
        // Not applied with tables selected: CREATE VIEW in the database (recorded), statements on other tables (not even recorded).
        Assert.Equal("a_outside,b_new", servers.Target.Sql($"SELECT GROUP_CONCAT(TABLE_NAME ORDER BY TABLE_NAME) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '{db}'"));
        Assert.Equal("Skipped", servers.Target.Sql($"SELECT GROUP_CONCAT(outcome) FROM _dts.ddl_history WHERE job_id = '{job.Id}' AND statement LIKE 'CREATE %VIEW%'"));
        Assert.Equal("0", servers.Target.Sql($"SELECT COUNT(*) FROM _dts.ddl_history WHERE job_id = '{job.Id}' AND (statement LIKE '%other%' OR statement LIKE '%{db}.c %')"));
        await SyncServers.StopAsync(worker, run);
    }

    [Fact]
    public async Task MappedDatabaseTableAndColumnNamesHoldInEveryAppliedStatement()
    {
        const string db = "mapped_src";
        var source = servers.Source;
        source.Sql($"CREATE DATABASE {db}; CREATE TABLE {db}.orders (id INT PRIMARY KEY, qty INT, `we``ird` INT) ENGINE=InnoDB; INSERT INTO {db}.orders VALUES (1, 5, 0);");
        var job = CreateJob(source, [$"{db}.orders"], new Dictionary<string, string> { [db] = "mapped_dst", [$"{db}.orders"] = "purchases", [$"{db}.orders.qty"] = "quantity" });
        var (worker, run) = await StartAsync(job, source);

        source.Sql($"""
            ALTER TABLE {db}.orders ADD COLUMN price DECIMAL(10,2) NOT NULL DEFAULT 0 AFTER qty, MODIFY qty BIGINT NOT NULL;
            CREATE INDEX by_qty ON {db}.orders (qty, `we``ird`);
            USE {db};
            ALTER TABLE orders ADD CONSTRAINT positive CHECK (qty >= 0);
            INSERT INTO {db}.orders VALUES (2, 7, 9.99, 1);
            UPDATE {db}.orders SET qty = qty + 1;
            """);
        SyncServers.WaitFor(() => servers.Target.Sql("SELECT COUNT(*) FROM mapped_dst.purchases") == "2" || worker.State == SyncJobState.Failed, Deadline, "the insert after the DDL");
        Assert.True(worker.State == SyncJobState.Synchronizing, worker.LastError);
        Assert.Equal(source.Sql($"SELECT * FROM {db}.orders ORDER BY id"), servers.Target.Sql("SELECT * FROM mapped_dst.purchases ORDER BY id"));
        Assert.Equal(SyncServers.Structure(source, $"{db}.orders").Replace("`orders`", "`purchases`", StringComparison.Ordinal).Replace("`qty`", "`quantity`", StringComparison.Ordinal),
            SyncServers.Structure(servers.Target, "mapped_dst.purchases"));
        await SyncServers.StopAsync(worker, run);
    }

    [Fact]
    public async Task ATableCreatedLaterTakesItsDatabasesCharacterSetAndTablesSwapThroughATemporaryName()
    {
        const string db = "latin";
        var source = servers.Source;
        source.Sql($"CREATE DATABASE {db} CHARACTER SET latin1; CREATE TABLE {db}.a (id INT PRIMARY KEY, s VARCHAR(10)) ENGINE=InnoDB; CREATE TABLE {db}.b (id INT PRIMARY KEY, s VARCHAR(10)) ENGINE=InnoDB;");
        var job = CreateJob(source, [$"{db}.a", $"{db}.b", $"{db}.n"]);
        var (worker, run) = await StartAsync(job, source);
        source.Sql($"""
            CREATE TABLE {db}.n (id INT PRIMARY KEY, s VARCHAR(10)) ENGINE=InnoDB;
            INSERT INTO {db}.n VALUES (1, 'Grüße');
            INSERT INTO {db}.a VALUES (1, 'in a'); INSERT INTO {db}.b VALUES (2, 'in b');
            RENAME TABLE {db}.a TO {db}.tmp, {db}.b TO {db}.a, {db}.tmp TO {db}.b;
            INSERT INTO {db}.a VALUES (3, 'now in a'); INSERT INTO {db}.b VALUES (4, 'now in b');
            """);
        WaitUntilEqual(source, $"{db}.b", $"{db}.b", worker);
        WaitUntilEqual(source, $"{db}.a", $"{db}.a", worker);
        WaitUntilEqual(source, $"{db}.n", $"{db}.n", worker);
        Assert.Equal("Grüße", servers.Target.Sql($"SELECT s FROM {db}.n"));
        Assert.Equal("1,4", servers.Target.Sql($"SELECT GROUP_CONCAT(id ORDER BY id) FROM {db}.b"));
        Assert.Equal(SyncServers.Structure(source, $"{db}.n"), SyncServers.Structure(servers.Target, $"{db}.n"));
        await SyncServers.StopAsync(worker, run);
    }

    [Fact]
    public async Task AStatementIsReadInItsClientsCharacterSet()
    {
        const string db = "client_latin1";
        var source = servers.Source;
        source.Sql($"CREATE DATABASE {db}; CREATE TABLE {db}.t (id INT PRIMARY KEY) ENGINE=InnoDB;");
        var job = CreateJob(source, [db]);
        var (worker, run) = await StartAsync(job, source);
        // The client sends these bytes as latin1: the source stores what latin1 makes of them, and so must the target.
        source.Sql($"SET NAMES latin1; ALTER TABLE {db}.t ADD COLUMN e ENUM('Grüße', 'ß') NOT NULL DEFAULT 'ß' COMMENT 'Ünïcode'; INSERT INTO {db}.t (id) VALUES (1);");
        WaitUntilEqual(source, $"{db}.t", $"{db}.t", worker);
        Assert.Equal(SyncServers.Structure(source, $"{db}.t"), SyncServers.Structure(servers.Target, $"{db}.t"));
        await SyncServers.StopAsync(worker, run);
    }

    [Fact]
    public async Task ARenamedDatabaseIsRewrittenInViewAndRoutineBodies()
    {
        const string db = "body_src";
        var source = servers.Source;
        source.Sql($"CREATE DATABASE {db}; CREATE TABLE {db}.t (id INT PRIMARY KEY, v INT) ENGINE=InnoDB; INSERT INTO {db}.t VALUES (1, 10);");
        var job = CreateJob(source, [db], new Dictionary<string, string> { [db] = "body_dst" });
        var (worker, run) = await StartAsync(job, source);
        source.Sql($"""
            CREATE VIEW {db}.qualified AS SELECT `{db}`.t.v FROM {db}.t;
            USE {db};
            CREATE VIEW unqualified AS SELECT v FROM t;
            CREATE FUNCTION {db}.total() RETURNS INT READS SQL DATA RETURN (SELECT SUM(v) FROM {db}.t);
            INSERT INTO {db}.t VALUES (2, 20);
            """);
        SyncServers.WaitFor(() => servers.Target.Sql("SELECT COUNT(*) FROM body_dst.t") == "2" || worker.State == SyncJobState.Failed, Deadline, "the insert after the views");
        Assert.True(worker.State == SyncJobState.Synchronizing, worker.LastError);
        Assert.Equal("30", servers.Target.Sql("SELECT SUM(v) FROM body_dst.qualified"));
        Assert.Equal("30", servers.Target.Sql("SELECT SUM(v) FROM body_dst.unqualified"));
        Assert.Equal("30", servers.Target.Sql("SELECT body_dst.total()"));
        Assert.Equal("0", servers.Target.Sql($"SELECT COUNT(*) FROM information_schema.VIEWS WHERE VIEW_DEFINITION LIKE '%{db}%'"));
        await SyncServers.StopAsync(worker, run);
    }

    [Fact]
    public async Task ADdlTheTargetRefusesStopsTheJobNamingItAndRunsOnceTheTargetIsMended()
    {
        const string db = "refused_by_target";
        var source = servers.Source;
        source.Sql($"CREATE DATABASE {db}; CREATE TABLE {db}.t (id INT PRIMARY KEY) ENGINE=InnoDB; INSERT INTO {db}.t VALUES (1);");
        var job = CreateJob(source, [db]);
        var (worker, run) = await StartAsync(job, source);
        servers.Target.Sql($"ALTER TABLE {db}.t ADD COLUMN c INT");
        source.Sql($"ALTER TABLE {db}.t ADD COLUMN c INT NOT NULL DEFAULT 5; INSERT INTO {db}.t VALUES (2, 6);");
        Assert.Equal(SyncJobState.Failed, await run.WaitAsync(Deadline));
        Assert.Contains("The target refused a DDL statement from the source (1060", worker.LastError, StringComparison.Ordinal);
        Assert.Contains($"ALTER TABLE `{db}`.`t` ADD COLUMN c INT NOT NULL DEFAULT 5", worker.LastError, StringComparison.Ordinal);

        servers.Target.Sql($"ALTER TABLE {db}.t DROP COLUMN c");
        (worker, run) = await StartAsync(job, source);
        WaitUntilEqual(source, $"{db}.t", $"{db}.t", worker);
        Assert.Equal(SyncServers.Structure(source, $"{db}.t"), SyncServers.Structure(servers.Target, $"{db}.t"));
        await SyncServers.StopAsync(worker, run);
    }

    [Fact]
    public async Task AStatementThatCannotBeAppliedFaithfullyStopsTheJobNamingIt()
    {
        const string db = "refused";
        var source = servers.Source;
        source.Sql($"CREATE DATABASE {db}; CREATE DATABASE {db}_other; CREATE TABLE {db}_other.tpl (id INT PRIMARY KEY) ENGINE=InnoDB; CREATE TABLE {db}.t (id INT PRIMARY KEY) ENGINE=InnoDB;");
        var job = CreateJob(source, [db]);
        var (worker, run) = await StartAsync(job, source);
        source.Sql($"CREATE TABLE {db}.copy LIKE {db}_other.tpl;");
        Assert.Equal(SyncJobState.Failed, await run.WaitAsync(Deadline));
        Assert.Contains($"CREATE TABLE {db}.copy copies {db}_other.tpl", worker.LastError, StringComparison.Ordinal);
    }

    [PerconaToolkitFact]
    public async Task PtOnlineSchemaChangeOnASelectedTableEndsWithTheAlteredTableOnTheTargetAndTheSyncGoingOn()
    {
        const string db = "ptosc";
        var source = servers.Source;
        source.Sql($"CREATE DATABASE {db}; CREATE TABLE {db}.t (id INT AUTO_INCREMENT PRIMARY KEY, v INT, note VARCHAR(20)) ENGINE=InnoDB; INSERT INTO {db}.t (v, note) SELECT seq, 'row' FROM {db}.seq_1_to_5000;");
        var job = CreateJob(source, [$"{db}.t"]);
        var (worker, run) = await StartAsync(job, source);

        using var writing = new CancellationTokenSource();
        var writer = Task.Run(() =>
        {
            for (var i = 0; !writing.IsCancellationRequested; i++)
            {
                try
                {
                    source.Sql($"INSERT INTO {db}.t (v, note) VALUES ({i}, 'during'); UPDATE {db}.t SET v = v + 1 WHERE id = {1 + (i * 37 % 5000)}; DELETE FROM {db}.t WHERE id = {5000 - i};");
                }
                catch (InvalidOperationException e) when (e.Message.Contains("ERROR 1213", StringComparison.Ordinal) || e.Message.Contains("ERROR 1205", StringComparison.Ordinal))
                {
                    // The tool's triggers and copy take locks too: an application retries a deadlocked write, and so does this one.
                }
            }
        });
        var tool = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(PerconaToolkitFactAttribute.Tool,
            ["--alter", "ADD COLUMN extra INT NOT NULL DEFAULT 7, MODIFY note VARCHAR(40)", "--execute", "--recursion-method=none", "--chunk-size=500",
             $"D={db},t=t,h={source.Host},P={source.Port},u=root"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await tool.StandardOutput.ReadToEndAsync() + await tool.StandardError.ReadToEndAsync();
        await tool.WaitForExitAsync();
        writing.Cancel();
        await writer;
        Assert.True(tool.ExitCode == 0, output);
        source.Sql($"INSERT INTO {db}.t (v, note, extra) VALUES (-1, 'after the swap', 8);");
        await AssertSwappedInAsync(source, db, worker, run);
    }

    [Fact]
    public async Task GhostsStatementSequenceOnASelectedTableEndsWithTheAlteredTableOnTheTargetAndTheSyncGoingOn()
    {
        const string db = "ghost";
        var source = servers.Source;
        source.Sql($"CREATE DATABASE {db}; CREATE TABLE {db}.t (id INT PRIMARY KEY, v INT) ENGINE=InnoDB; INSERT INTO {db}.t SELECT seq, seq FROM {db}.seq_1_to_1000;");
        var job = CreateJob(source, [$"{db}.t"]);
        var (worker, run) = await StartAsync(job, source);

        // gh-ost's documented sequence: changelog and ghost tables, the ALTER on the ghost, the row copy with the binlog's
        // changes applied to the ghost meanwhile, then the atomic cut-over (sentry table, RENAME, sentry dropped).
        source.Sql($"""
            CREATE TABLE {db}._t_ghc (id BIGINT AUTO_INCREMENT PRIMARY KEY, last_update TIMESTAMP DEFAULT CURRENT_TIMESTAMP, hint VARCHAR(64) NOT NULL, value VARCHAR(4096) NOT NULL, UNIQUE KEY (hint)) ENGINE=InnoDB;
            CREATE TABLE {db}._t_gho LIKE {db}.t;
            ALTER TABLE {db}._t_gho ADD COLUMN w VARCHAR(10) NOT NULL DEFAULT 'w', ADD INDEX by_v (v);
            INSERT INTO {db}._t_ghc (hint, value) VALUES ('state', 'migrating');
            INSERT INTO {db}._t_gho (id, v) SELECT id, v FROM {db}.t WHERE id <= 500;
            UPDATE {db}.t SET v = -v WHERE id IN (10, 600);
            UPDATE {db}._t_gho SET v = -v WHERE id = 10;
            INSERT INTO {db}.t VALUES (2000, 2000);
            INSERT INTO {db}._t_gho (id, v) VALUES (2000, 2000);
            INSERT INTO {db}._t_gho (id, v) SELECT id, v FROM {db}.t WHERE id > 500 AND id < 2000;
            CREATE TABLE {db}._t_del (id INT AUTO_INCREMENT PRIMARY KEY) ENGINE=InnoDB COMMENT='ghost-cut-over-sentry';
            DROP TABLE IF EXISTS {db}._t_del;
            RENAME TABLE {db}.t TO {db}._t_del, {db}._t_gho TO {db}.t;
            DROP TABLE IF EXISTS {db}._t_del;
            DROP TABLE IF EXISTS {db}._t_ghc;
            INSERT INTO {db}.t VALUES (3000, 3000, 'after');
            """);
        await AssertSwappedInAsync(source, db, worker, run);
    }

    [Fact]
    public async Task ABurstOfAHundredAltersBetweenWritesWhileTheJobIsBehindConverges()
    {
        const string db = "burst";
        var source = servers.Source;
        source.Sql($"CREATE DATABASE {db}; CREATE TABLE {db}.t (id INT AUTO_INCREMENT PRIMARY KEY, v INT) ENGINE=InnoDB; INSERT INTO {db}.t (v) SELECT seq FROM {db}.seq_1_to_1000;");
        var job = CreateJob(source, [db]);
        var (worker, run) = await StartAsync(job, source);
        await SyncServers.StopAsync(worker, run);

        var burst = new System.Text.StringBuilder();
        for (var i = 0; i < 100; i++)
        {
            burst.Append((i % 4) switch
            {
                0 => $"ALTER TABLE {db}.t ADD COLUMN c{i} INT NOT NULL DEFAULT {i};",
                1 => $"ALTER TABLE {db}.t MODIFY c{i - 1} BIGINT NOT NULL DEFAULT {i};",
                2 => $"ALTER TABLE {db}.t ADD COLUMN s{i} VARCHAR(8) NULL AFTER id;",
                _ => $"ALTER TABLE {db}.t DROP COLUMN s{i - 1};",
            });
            burst.Append($"INSERT INTO {db}.t (v) VALUES ({i}); UPDATE {db}.t SET v = v + 1 WHERE id = {1 + (i * 7)}; DELETE FROM {db}.t WHERE id = {1000 - i};");
        }

        source.Sql(burst.ToString());
        var clock = System.Diagnostics.Stopwatch.StartNew();
        (worker, run) = await StartAsync(job, source);
        WaitUntilEqual(source, $"{db}.t", $"{db}.t", worker);
        output.WriteLine($"100 ALTERs and 300 row changes applied from behind in {clock.Elapsed.TotalSeconds:0.00} s (worker start included).");
        Assert.Equal(SyncServers.Structure(source, $"{db}.t"), SyncServers.Structure(servers.Target, $"{db}.t"));
        Assert.Equal("100", servers.Target.Sql($"SELECT COUNT(*) FROM _dts.ddl_history WHERE job_id = '{job.Id}' AND outcome = 'Applied'"));
        await SyncServers.StopAsync(worker, run);
    }

    /// <summary>The altered table is on the target, rows equal, no shadow table left, and the job still syncing.</summary>
    private async Task AssertSwappedInAsync(MariaDbServer source, string db, SyncWorker worker, Task<SyncJobState> run)
    {
        WaitUntilEqual(source, $"{db}.t", $"{db}.t", worker);
        Assert.Equal(SyncServers.Structure(source, $"{db}.t"), SyncServers.Structure(servers.Target, $"{db}.t"));
        Assert.Equal("t", servers.Target.Sql($"SELECT GROUP_CONCAT(TABLE_NAME) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '{db}'"));
        await SyncServers.StopAsync(worker, run);
    }

    private SyncJob CreateJob(MariaDbServer source, string[] objects, IDictionary<string, string>? mapping = null)
    {
        var settings = SyncServers.SettingsOf(source);
        var selection = ObjectSelection.Parse(objects);
        return servers.Store.Jobs.Create(new SyncJobDefinition(null, settings, servers.TargetSettings, selection,
            NameMapping.Create(mapping ?? new Dictionary<string, string>(), selection), InitialSync.Schema | InitialSync.Data));
    }

    private async Task<(SyncWorker Worker, Task<SyncJobState> Run)> StartAsync(SyncJob job, MariaDbServer source)
    {
        var worker = new SyncWorker(job, SyncServers.SettingsOf(source), servers.TargetSettings, new SyncWorkerOptions(), NullLogger.Instance);
        var run = worker.RunAsync(CancellationToken.None);
        SyncServers.WaitFor(() => worker.State == SyncJobState.Synchronizing || run.IsCompleted, Deadline, "the job to synchronize");
        Assert.False(run.IsCompleted, worker.LastError);
        await Task.Yield();
        return (worker, run);
    }

    private void WaitUntilEqual(MariaDbServer source, string sourceTable, string targetTable, SyncWorker worker)
    {
        SyncServers.WaitFor(() => worker.State == SyncJobState.Failed || (Try(() => SyncServers.Fingerprint(servers.Target, targetTable)) is { } t && t == SyncServers.Fingerprint(source, sourceTable)),
            Deadline, $"{targetTable} to equal {sourceTable}");
        Assert.True(worker.State != SyncJobState.Failed, worker.LastError);
    }

    private static string? Try(Func<string> read)
    {
        try
        {
            return read();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static string Names(MariaDbServer server, string view, string column, string db) =>
        server.Sql($"SELECT GROUP_CONCAT({column}_NAME ORDER BY {column}_NAME) FROM information_schema.{view} WHERE {column}_SCHEMA = '{db}'");
}
