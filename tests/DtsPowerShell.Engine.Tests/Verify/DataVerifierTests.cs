using DtsPowerShell.Engine.Jobs;
using DtsPowerShell.Engine.Sync;
using DtsPowerShell.Engine.Tests.Sync;
using DtsPowerShell.Engine.Verify;
using Microsoft.Extensions.Logging.Abstractions;

namespace DtsPowerShell.Engine.Tests.Verify;

/// <summary>Source and target compared by chunked checksums after a sync, then after the target was changed behind the job's back.</summary>
public sealed class DataVerifierTests(SyncServers servers) : IClassFixture<SyncServers>
{
    [Fact]
    public async Task EqualTablesCompareEqualAndEveryRowChangedOnTheTargetIsNamed()
    {
        servers.Source.Sql("""
            CREATE DATABASE verify;
            CREATE TABLE verify.t (id INT PRIMARY KEY, v VARCHAR(20), d DECIMAL(10,2), n INT NULL, ts TIMESTAMP NULL) ENGINE=InnoDB;
            INSERT INTO verify.t SELECT seq, CONCAT('v', seq), seq / 7, IF(seq % 3 = 0, NULL, seq), FROM_UNIXTIME(1700000000 + seq) FROM verify.seq_1_to_2500;
            CREATE TABLE verify.c (a INT, b VARCHAR(5), x INT, PRIMARY KEY (a, b)) ENGINE=InnoDB;
            INSERT INTO verify.c VALUES (1, 'a', 1), (1, 'b', 2), (2, 'a', 3);
            CREATE TABLE verify.k (x INT) ENGINE=InnoDB;
            INSERT INTO verify.k VALUES (1), (1), (2);
            CREATE TABLE verify.p (id INT PRIMARY KEY, v VARCHAR(10)) ENGINE=InnoDB;
            INSERT INTO verify.p VALUES (1, 'aa1'), (2, 'aa2');
            """);
        var job = servers.CreateJob(["verify"], mapping: new Dictionary<string, string> { ["verify.t"] = "t2", ["verify.t.v"] = "v2" });
        var worker = new SyncWorker(job, servers.SourceSettings, servers.TargetSettings, new SyncWorkerOptions { StopWhenSynchronizing = true }, NullLogger.Instance);
        await worker.RunAsync(CancellationToken.None);
        Assert.True(worker.InitialSyncDone, worker.LastError);
        var verifier = new DataVerifier(servers.SourceSettings, servers.TargetSettings, TimeSpan.FromSeconds(30)) { Rechecks = 1, RecheckDelay = TimeSpan.FromMilliseconds(100) };

        var equal = await CompareAsync(verifier, job);
        Assert.All(equal.Values, c => Assert.True(c.Equal, $"{c.Table}: {c}"));
        // Equal tables stored alike: CHECKSUM TABLE and the counts agree, no chunk is needed.
        Assert.Equal((2500, 2500, 0), (equal["verify.t"].SourceRows, equal["verify.t"].TargetRows, equal["verify.t"].Chunks));
        Assert.Equal("verify.t2", equal["verify.t"].TargetTable);

        // Behind the job's back: a row deleted, a value changed, a NULL made 0, a row added; a composite key's row changed; a keyless row added; two rows changed alike.
        servers.Target.Sql("""
            DELETE FROM verify.t2 WHERE id = 5;
            UPDATE verify.t2 SET v2 = 'changed' WHERE id = 1500;
            UPDATE verify.t2 SET n = 0 WHERE id = 9;
            INSERT INTO verify.t2 (id, v2) VALUES (9999, 'extra');
            UPDATE verify.c SET x = 20 WHERE a = 1 AND b = 'b';
            INSERT INTO verify.k VALUES (3);
            UPDATE verify.p SET v = CONCAT('ab', SUBSTRING(v, 3));
            """);
        var different = await CompareAsync(verifier, job);
        var t = different["verify.t"];
        Assert.False(t.Equal);
        Assert.Equal((2500, 2500, 3), (t.SourceRows, t.TargetRows, t.Chunks));
        Assert.Equal(["5"], t.MissingOnTarget);
        Assert.Equal(["9999"], t.ExtraOnTarget);
        Assert.Equal(["1500", "9"], t.Changed.Order(StringComparer.Ordinal));
        Assert.Equal((1L, 1L, 2L), (t.MissingCount, t.ExtraCount, t.ChangedCount));
        Assert.Equal(["1, b"], different["verify.c"].Changed);
        Assert.Empty(different["verify.c"].MissingOnTarget);
        // The same change at the same place in two rows of one chunk: a linear row hash under XOR would cancel it out.
        Assert.Equal(["1", "2"], different["verify.p"].Changed.Order(StringComparer.Ordinal));
        Assert.False(different["verify.k"].Equal);
        Assert.Contains("no key", different["verify.k"].Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeysWithZeroDatesAreChunkedAndCompared()
    {
        servers.Source.Sql("""
            CREATE DATABASE verify_dates;
            CREATE TABLE verify_dates.d (at DATETIME PRIMARY KEY, v INT) ENGINE=InnoDB;
            INSERT INTO verify_dates.d VALUES ('0000-00-00 00:00:00', 1), ('2024-05-00 00:00:00', 2), ('2024-05-01 10:00:00', 3), ('2024-00-00 00:00:00', 4), ('2025-01-01 00:00:00', 5);
            """);
        var job = servers.CreateJob(["verify_dates"]);
        var worker = new SyncWorker(job, servers.SourceSettings, servers.TargetSettings, new SyncWorkerOptions { StopWhenSynchronizing = true }, NullLogger.Instance);
        await worker.RunAsync(CancellationToken.None);
        Assert.True(worker.InitialSyncDone, worker.LastError);
        servers.Target.Sql("UPDATE verify_dates.d SET v = 20 WHERE at = '2024-05-00 00:00:00'; DELETE FROM verify_dates.d WHERE at = '0000-00-00 00:00:00';");

        var verifier = new DataVerifier(servers.SourceSettings, servers.TargetSettings, TimeSpan.FromSeconds(30)) { ChunkRows = 1, Rechecks = 0 };
        var d = (await CompareAsync(verifier, job).WaitAsync(TimeSpan.FromSeconds(60)))["verify_dates.d"];

        Assert.Equal(6, d.Chunks); // one per row, and the empty one after the last
        Assert.Equal(["2024-05-00 00:00:00"], d.Changed);
        Assert.Equal(["0000-00-00 00:00:00"], d.MissingOnTarget);
    }

    private static async Task<Dictionary<string, TableComparison>> CompareAsync(DataVerifier verifier, SyncJob job)
    {
        var results = new Dictionary<string, TableComparison>();
        await foreach (var comparison in verifier.CompareAsync(job, await verifier.TablesAsync(job, CancellationToken.None)))
        {
            results[comparison.Table] = comparison;
        }

        return results;
    }
}
