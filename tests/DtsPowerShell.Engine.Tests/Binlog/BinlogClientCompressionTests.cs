using DtsPowerShell.Engine.Binlog;
using DtsPowerShell.Engine.Binlog.Events;
using DtsPowerShell.TestServers;

namespace DtsPowerShell.Engine.Tests.Binlog;

/// <summary>MariaDB's compressed binlog (log_bin_compress): compressed query and rows events decode like plain ones.</summary>
public sealed class BinlogClientCompressionTests
{
    [Fact]
    public async Task Compressed_query_and_rows_events_decode()
    {
        var options = new MariaDbServerOptions();
        options.ExtraArguments.Add("--log-bin-compress=ON");
        options.ExtraArguments.Add("--log-bin-compress-min-len=10");
        using var source = BinlogSource.Start(options);
        var start = source.CurrentPosition();
        source.Server.Sql("""
            CREATE DATABASE z;
            CREATE TABLE z.t (id INT PRIMARY KEY, body TEXT CHARACTER SET utf8mb4) ENGINE=InnoDB;
            INSERT INTO z.t VALUES (1, REPEAT('compress me ', 100)), (2, 'short but still over ten bytes');
            UPDATE z.t SET body = CONCAT(body, ' ✓') WHERE id = 2;
            DELETE FROM z.t WHERE id = 1;
            """);
        var events = await source.StreamUntilAsync(new BinlogClient(source.Replication), BinlogStart.At(start), e => e[^1] is RowsEvent { Kind: RowsEventKind.Delete });

        Assert.Contains(events, e => e.Header.Type == BinlogEventType.MariaQueryCompressed);
        Assert.Contains(events, e => e.Header.Type == BinlogEventType.MariaWriteRowsCompressedV1);
        Assert.Contains(events.OfType<QueryEvent>(), q => q.Query.StartsWith("CREATE TABLE z.t", StringComparison.Ordinal));
        var rows = events.OfType<RowsEvent>().ToList();
        var inserted = rows.Single(r => r.Kind == RowsEventKind.Insert).Rows;
        Assert.Equal(string.Concat(Enumerable.Repeat("compress me ", 100)), inserted[0].After![1]);
        Assert.Equal("short but still over ten bytes ✓", rows.Single(r => r.Kind == RowsEventKind.Update).Rows[0].After![1]);
        Assert.Equal(1, rows.Single(r => r.Kind == RowsEventKind.Delete).Rows[0].Before![0]);
    }
}
