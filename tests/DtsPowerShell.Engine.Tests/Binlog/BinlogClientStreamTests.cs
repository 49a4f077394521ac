using DtsPowerShell.Engine.Binlog;
using DtsPowerShell.Engine.Binlog.Events;
using DtsPowerShell.TestServers;
using DtsPowerShell.Engine.Connections;

namespace DtsPowerShell.Engine.Tests.Binlog;

/// <summary>The replication stream's behaviour on a real MariaDB server: positions, rotation, idleness, failures.</summary>
public sealed class BinlogClientStreamTests(BinlogSource source) : IClassFixture<BinlogSource>
{
    private static readonly TimeSpan FastHeartbeat = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task Reports_the_position_after_each_transaction_so_a_new_stream_resumes_exactly_there()
    {
        source.Server.Sql("CREATE DATABASE IF NOT EXISTS resume; CREATE OR REPLACE TABLE resume.t (id INT PRIMARY KEY) ENGINE=InnoDB;");
        var start = source.CurrentPosition();
        source.Server.Sql("INSERT INTO resume.t VALUES (1); INSERT INTO resume.t VALUES (2); INSERT INTO resume.t VALUES (3);");
        var client = new BinlogClient(source.Replication);
        BinlogPosition? afterFirst = null;
        await source.StreamUntilAsync(client, BinlogStart.At(start), e =>
        {
            if (afterFirst is null && e[^1] is XidEvent)
            {
                afterFirst = client.Committed;
            }

            return e.OfType<XidEvent>().Count() == 3;
        });

        Assert.NotNull(afterFirst);
        Assert.Equal(source.CurrentPosition().Position, client.Committed!.Position);
        Assert.Matches(@"^0-\d+-\d+$", client.Committed.GtidSet);
        Assert.Equal(source.Server.Sql("SELECT @@gtid_binlog_pos"), client.Committed.GtidSet);
        Assert.Equal(source.CurrentPosition().File, client.Committed.File);
        var resumed = await source.StreamUntilAsync(new BinlogClient(source.Replication), BinlogStart.At(afterFirst!), e => e.OfType<XidEvent>().Count() == 2);
        Assert.Equal([2, 3], resumed.OfType<RowsEvent>().Select(r => (int)r.Rows[0].After![0]!));
    }

    [Fact]
    public async Task Starts_from_a_MariaDb_gtid_state()
    {
        source.Server.Sql("CREATE DATABASE IF NOT EXISTS gtid; CREATE OR REPLACE TABLE gtid.t (id INT PRIMARY KEY) ENGINE=InnoDB; INSERT INTO gtid.t VALUES (1);");
        var state = source.Server.Sql("SELECT @@gtid_binlog_pos");
        source.Server.Sql("INSERT INTO gtid.t VALUES (2);");
        var events = await source.StreamUntilAsync(new BinlogClient(source.Replication), BinlogStart.AtGtid(state), e => e.OfType<XidEvent>().Any());
        var rows = events.OfType<RowsEvent>().ToList();
        Assert.Equal(2, Assert.Single(rows).Rows[0].After![0]);
    }

    [Fact]
    public async Task Follows_rotation_into_the_next_file()
    {
        source.Server.Sql("CREATE DATABASE IF NOT EXISTS rotation; CREATE OR REPLACE TABLE rotation.t (id INT PRIMARY KEY) ENGINE=InnoDB;");
        var start = source.CurrentPosition();
        source.Server.Sql("INSERT INTO rotation.t VALUES (1); FLUSH BINARY LOGS; INSERT INTO rotation.t VALUES (2);");
        var client = new BinlogClient(source.Replication);
        var events = await source.StreamUntilAsync(client, BinlogStart.At(start), e => e.OfType<XidEvent>().Count() == 2);
        Assert.Equal(2, events.OfType<RowsEvent>().Count());
        var rotate = events.OfType<RotateEvent>().Last(r => r.Header.Timestamp != 0);
        Assert.NotEqual(start.File, rotate.NextFile);
        Assert.Equal(source.CurrentPosition().File, rotate.NextFile);
        Assert.Equal(rotate.NextFile, client.Committed!.File);
        // Not the server's current position: MariaDB may add a binlog checkpoint event after a flush at any time.
        Assert.Equal(events.OfType<XidEvent>().Last().Header.NextPosition, client.Committed.Position);
    }

    [Fact]
    public async Task Receives_heartbeats_while_the_source_is_idle()
    {
        var before = source.CurrentPosition();
        var client = new BinlogClient(source.Replication, new BinlogClientOptions { HeartbeatPeriod = FastHeartbeat });
        var events = await source.StreamUntilAsync(client, BinlogStart.Current, e => e.OfType<HeartbeatEvent>().Count() >= 2);
        Assert.All(events.OfType<HeartbeatEvent>(), h => Assert.Equal(source.CurrentPosition().File, h.File));
        // Where the idle source stands: from where the stream started to the end of the file now.
        Assert.All(events.OfType<HeartbeatEvent>(), h => Assert.InRange(h.Position, before.Position, source.CurrentPosition().Position));
    }

    [Fact]
    public async Task Reconnects_and_resumes_when_the_dump_connection_is_killed()
    {
        source.Server.Sql("CREATE DATABASE IF NOT EXISTS killed; CREATE OR REPLACE TABLE killed.t (id INT PRIMARY KEY) ENGINE=InnoDB;");
        var start = source.CurrentPosition();
        source.Server.Sql("INSERT INTO killed.t VALUES (1);");
        var client = new BinlogClient(source.Replication, new BinlogClientOptions { HeartbeatPeriod = FastHeartbeat });
        var killed = false;
        var events = await source.StreamUntilAsync(client, BinlogStart.At(start), e => e.OfType<RowsEvent>().Any(r => (int)r.Rows[0].After![0]! == 2), onEvent: e =>
        {
            if (!killed && e[^1] is XidEvent)
            {
                killed = true;
                source.Server.Sql("SELECT CONCAT('KILL ', ID) FROM information_schema.PROCESSLIST WHERE COMMAND LIKE 'Binlog Dump%' INTO @kill; EXECUTE IMMEDIATE @kill; INSERT INTO killed.t VALUES (2);");
            }
        });

        Assert.True(killed);
        Assert.Equal([1, 2], events.OfType<RowsEvent>().Select(r => (int)r.Rows[0].After![0]!).Distinct());
        // Resumed after the committed transaction: row 1 is not sent again.
        Assert.Equal([1, 2], events.OfType<RowsEvent>().Select(r => (int)r.Rows[0].After![0]!));
        Assert.True(events.OfType<RotateEvent>().Count(r => r.Header.Timestamp == 0) >= 2, "a reconnect starts with the server's ROTATE");
    }

    [Fact]
    public async Task Resumes_after_the_source_restarts()
    {
        source.Server.Sql("CREATE DATABASE IF NOT EXISTS restart; CREATE OR REPLACE TABLE restart.t (id INT PRIMARY KEY) ENGINE=InnoDB;");
        var start = source.CurrentPosition();
        source.Server.Sql("INSERT INTO restart.t VALUES (1);");
        var client = new BinlogClient(source.Replication, new BinlogClientOptions { HeartbeatPeriod = FastHeartbeat, ReconnectAttempts = 20 });
        var restarted = false;
        var events = await source.StreamUntilAsync(client, BinlogStart.At(start), e => e.OfType<RowsEvent>().Any(r => (int)r.Rows[0].After![0]! == 2), onEvent: e =>
        {
            if (!restarted && e[^1] is XidEvent)
            {
                restarted = true;
                source.Server.Restart();
                source.Server.Sql("INSERT INTO restart.t VALUES (2);");
            }
        });

        Assert.True(restarted);
        Assert.Equal([1, 2], events.OfType<RowsEvent>().Select(r => (int)r.Rows[0].After![0]!).Distinct());
        Assert.Equal([1, 2], events.OfType<RowsEvent>().Select(r => (int)r.Rows[0].After![0]!));
    }

    [Fact]
    public async Task A_missing_binlog_file_gives_an_error_naming_it()
    {
        var client = new BinlogClient(source.Replication);
        var error = await Assert.ThrowsAsync<BinlogUnavailableException>(() =>
            source.StreamUntilAsync(client, BinlogStart.At(new BinlogPosition("binlog.999999", 4)), _ => false));
        Assert.Contains("binlog.999999", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_fails_with_the_servers_message()
    {
        var settings = source.Replication;
        var client = new BinlogClient(new ConnectionSettings(settings.Endpoint, settings.User, "wrong", settings.SslMode));
        var error = await Assert.ThrowsAsync<Engine.Protocol.MySqlServerException>(() => source.StreamUntilAsync(client, BinlogStart.Current, _ => false));
        Assert.Equal(1045, error.ErrorCode);
    }

    [Fact]
    public async Task A_large_event_over_a_slow_link_is_not_taken_for_silence()
    {
        // 3 MiB of row arriving 16 KiB per 10 ms: 192 pauses, so at least 1.9 s; the silence limit is 3 x 0.1 s + 1 s.
        source.Server.Sql("CREATE DATABASE IF NOT EXISTS slow; CREATE TABLE IF NOT EXISTS slow.t (id INT PRIMARY KEY, payload LONGBLOB) ENGINE=InnoDB;");
        var start = BinlogStart.At(source.CurrentPosition());
        source.Server.Sql("INSERT INTO slow.t VALUES (1, REPEAT('x', 3 * 1024 * 1024));");
        using var proxy = new ThrottlingProxy(source.Server.Host, source.Server.Port, 16 * 1024, TimeSpan.FromMilliseconds(10));
        var client = new BinlogClient(source.ReplicationWith(DtsSslMode.None, port: proxy.Port), new BinlogClientOptions { HeartbeatPeriod = TimeSpan.FromMilliseconds(100), Timeout = TimeSpan.FromSeconds(1), ReconnectAttempts = 0 });
        var events = await source.StreamUntilAsync(client, start, e => e.OfType<RowsEvent>().Any(r => r.Table.Database == "slow"));
        var row = events.OfType<RowsEvent>().Single(r => r.Table.Database == "slow").Rows.Single().After!;
        var payload = Assert.IsType<byte[]>(row[1]);
        Assert.Equal(3 * 1024 * 1024, payload.Length);
        Assert.True(payload.AsSpan().IndexOfAnyExcept((byte)'x') < 0, "every byte of the payload arrived intact");
    }
}

/// <summary>Partial row images: columns left out of MINIMAL and NOBLOB images are marked absent, not null.</summary>
public sealed class BinlogClientPartialImageTests
{
    [Theory]
    [InlineData("MINIMAL")]
    [InlineData("NOBLOB")]
    public async Task Columns_left_out_of_the_image_are_absent(string image)
    {
        using var source = BinlogSource.Start(new MariaDbServerOptions { BinlogRowImage = image });
        source.Server.Sql("CREATE DATABASE p; CREATE TABLE p.t (id INT PRIMARY KEY, a INT, b BLOB) ENGINE=InnoDB; INSERT INTO p.t VALUES (1, 10, 'x');");
        var start = source.CurrentPosition();
        source.Server.Sql("UPDATE p.t SET a = 11 WHERE id = 1;");
        var events = await source.StreamUntilAsync(new BinlogClient(source.Replication), BinlogStart.At(start), e => e[^1] is RowsEvent { Kind: RowsEventKind.Update });
        var update = (RowsEvent)events[^1];

        var change = update.Rows.Single();
        Assert.Equal(11, change.After![1]);
        Assert.Same(RowImage.Absent, change.After[2]);
        if (image == "MINIMAL")
        {
            Assert.Equal(1, change.Before![0]);
            Assert.Same(RowImage.Absent, change.Before[1]);
            Assert.Same(RowImage.Absent, change.After[0]);
        }
        else
        {
            Assert.Equal(10, change.Before![1]);
            Assert.Same(RowImage.Absent, change.Before[2]);
        }
    }
}

/// <summary>The replication stream over TLS, with the job's SSL modes.</summary>
public sealed class BinlogClientTlsTests
{
    [Fact]
    public async Task Streams_over_tls_and_verifies_the_certificate_against_the_given_authority_only()
    {
        using var source = BinlogSource.Start(new MariaDbServerOptions { Tls = true });
        source.Server.Sql("CREATE DATABASE tls; CREATE TABLE tls.t (id INT PRIMARY KEY) ENGINE=InnoDB; INSERT INTO tls.t VALUES (1);");
        var acceptsBefore = SslAccepts(source.Server);
        var rows = await source.StreamUntilAsync(new BinlogClient(source.ReplicationWith(DtsSslMode.Required)), BinlogStart.Oldest, e => e.OfType<RowsEvent>().Any());
        Assert.Single(rows.OfType<RowsEvent>());
        Assert.True(SslAccepts(source.Server) > acceptsBefore, "Required streamed over TLS");

        var verifying = new BinlogClient(source.ReplicationWith(DtsSslMode.VerifyCA));
        await Assert.ThrowsAsync<System.Security.Authentication.AuthenticationException>(() => source.StreamUntilAsync(verifying, BinlogStart.Oldest, _ => false));

        var withAuthority = new BinlogClient(source.ReplicationWith(DtsSslMode.VerifyFull, TestCertificates.CaPath));
        var verified = await source.StreamUntilAsync(withAuthority, BinlogStart.Oldest, e => e.OfType<RowsEvent>().Any());
        Assert.Equal("t", verified.OfType<RowsEvent>().Single().Table.Table);

        // Another authority's file is no substitute: the chain must end at the one given.
        var otherAuthority = Path.Combine(Path.GetTempPath(), $"dts-other-ca-{Guid.NewGuid():N}.pem");
        using (var other = TestCertificates.SelfSigned("CN=another CA"))
        {
            File.WriteAllText(otherAuthority, other.ExportCertificatePem());
        }

        try
        {
            var wrongAuthority = new BinlogClient(source.ReplicationWith(DtsSslMode.VerifyCA, otherAuthority));
            await Assert.ThrowsAsync<System.Security.Authentication.AuthenticationException>(() => source.StreamUntilAsync(wrongAuthority, BinlogStart.Oldest, _ => false));
        }
        finally
        {
            File.Delete(otherAuthority);
        }
    }

    private static long SslAccepts(MariaDbServer server) =>
        long.Parse(server.Sql("SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'SSL_ACCEPTS'"), System.Globalization.CultureInfo.InvariantCulture);
}
