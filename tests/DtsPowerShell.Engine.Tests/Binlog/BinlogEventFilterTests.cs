using DtsPowerShell.Engine.Binlog;
using DtsPowerShell.Engine.Binlog.Events;

namespace DtsPowerShell.Engine.Tests.Binlog;

public sealed class BinlogEventFilterTests
{
    private static readonly TableMapEvent Orders = Map("shop", "orders");

    [Theory]
    [InlineData(null, "orders", null, true)]
    [InlineData(null, "ORD*", null, true)]
    [InlineData(null, "shop.orders", null, true)]
    [InlineData(null, "crm.orders", null, false)]
    [InlineData(null, "*.ord?rs", null, true)]
    [InlineData("sh*", null, null, true)]
    [InlineData("crm", null, null, false)]
    [InlineData(null, null, "Delete", true)]
    [InlineData(null, null, "Insert", false)]
    [InlineData(null, null, "AlterTable", false)]
    [InlineData(null, "`orders`", "delete", true)]
    public void RowChangesMatchByDatabaseTableAndKind(string? database, string? table, string? kind, bool wanted)
    {
        var filter = new BinlogEventFilter(database is null ? null : [database], table is null ? null : [table], kind is null ? null : [kind]);
        var delete = new RowsEvent(Header(BinlogEventType.DeleteRowsV1), RowsEventKind.Delete, Orders, []);
        Assert.Equal(wanted, filter.Includes(delete));
    }

    [Theory]
    [InlineData("shop", "ALTER TABLE orders ADD c INT", null, "orders", "Ddl", true)]
    [InlineData("shop", "ALTER TABLE orders ADD c INT", null, "orders", "AlterTable", true)]
    [InlineData("shop", "ALTER TABLE orders ADD c INT", null, "orders", "DropTable", false)]
    [InlineData("shop", "ALTER TABLE orders ADD c INT", null, "items", null, false)]
    [InlineData("crm", "DROP TABLE shop.orders", "shop", null, null, true)]
    [InlineData("shop", "GRANT SELECT ON shop.* TO u", "shop", null, "Statement", true)]
    [InlineData("shop", "GRANT SELECT ON shop.* TO u", null, null, "Ddl", false)]
    [InlineData("shop", "BEGIN", "shop", null, null, false)]
    [InlineData("shop", "CREATE DATABASE shop", "shop", null, "CreateDatabase", true)]
    public void StatementsMatchByTheObjectsTheyName(string defaultDatabase, string sql, string? database, string? table, string? kind, bool wanted)
    {
        var filter = new BinlogEventFilter(database is null ? null : [database], table is null ? null : [table], kind is null ? null : [kind]);
        var query = new QueryEvent(Header(BinlogEventType.Query), 1, 0, 0, defaultDatabase, sql, null, null, null, null, null);
        Assert.Equal(wanted, filter.Includes(query));
    }

    [Fact]
    public void WithoutFiltersEverythingPassesAndWithOneOnlyMatchingChangesDo()
    {
        var heartbeat = new HeartbeatEvent(Header(BinlogEventType.Heartbeat), "bin.000001", 4);
        Assert.True(new BinlogEventFilter().Includes(heartbeat));
        Assert.False(new BinlogEventFilter(tables: ["orders"]).Includes(heartbeat));
        Assert.False(new BinlogEventFilter(tables: ["orders"]).Includes(Orders));
        Assert.False(new BinlogEventFilter(tables: ["orders"]).Includes(new FilteredRowsEvent(Header(BinlogEventType.WriteRowsV1), RowsEventKind.Insert, Orders)));
        Assert.True(new BinlogEventFilter(tables: ["orders"]).WantsRowsOf(Orders));
        Assert.False(new BinlogEventFilter(tables: ["items"]).WantsRowsOf(Orders));
        Assert.False(new BinlogEventFilter(kinds: ["Ddl"]).WantsRowsOf(Orders));
        var error = Assert.Throws<DtsInputException>(() => new BinlogEventFilter(kinds: ["Upsert"]));
        Assert.Contains("AlterTable", error.Remedy, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bin.000002:500", "bin.000002", 400, 480, true, false)]
    [InlineData("bin.000002:500", "bin.000002", 480, 520, true, true)]
    [InlineData("bin.000002:500", "bin.000002", 500, 560, false, true)]
    [InlineData("bin.000002:500", "bin.000001", 9000, 9100, true, false)]
    [InlineData("bin.000002:500", "bin.000003", 4, 100, false, true)]
    public void APositionStopsAtTheEventThatReachesIt(string stopAt, string file, uint start, uint next, bool write, bool end)
    {
        var stop = BinlogStop.Parse(stopAt);
        var xid = new XidEvent(new BinlogEventHeader(1_700_000_000, BinlogEventType.Xid, 1, next - start, next, 0) { }, 7);
        Assert.Equal((write, end), stop.Check(xid, file));
    }

    [Fact]
    public void AGtidStopsAfterItsTransactionAndATimeBeforeTheFirstLaterEvent()
    {
        var stop = BinlogStop.Parse("0-1-100");
        Assert.Equal((true, false), stop.Check(new GtidEvent(Header(BinlogEventType.MariaGtid), "0-1-99", false, null), "b"));
        Assert.Equal((true, false), stop.Check(new XidEvent(Header(BinlogEventType.Xid), 1), "b"));
        Assert.Equal((true, false), stop.Check(new GtidEvent(Header(BinlogEventType.MariaGtid), "0-2-101", false, null), "b"));
        Assert.Equal((true, true), stop.Check(new XidEvent(Header(BinlogEventType.Xid), 2), "b"));

        var noon = BinlogStop.Parse("2026-11-30T12:00:00Z");
        Assert.Equal((true, false), noon.Check(new XidEvent(new BinlogEventHeader((uint)DateTimeOffset.Parse("2026-11-30T11:59:59Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds(), BinlogEventType.Xid, 1, 0, 0, 0), 1), "b"));
        Assert.Equal((false, true), noon.Check(new XidEvent(new BinlogEventHeader((uint)DateTimeOffset.Parse("2026-11-30T12:00:01Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds(), BinlogEventType.Xid, 1, 0, 0, 0), 1), "b"));
        Assert.Throws<DtsInputException>(() => BinlogStop.Parse("soon"));

        // Start and stop read positions and times alike: a time of day is never taken for a position.
        Assert.NotNull(BinlogStop.Parse("10:00").Time);
        Assert.NotNull(BinlogStart.ParseForReader("10:30").Time);
        Assert.Equal(new BinlogPosition("mysql-bin.000003", 4), BinlogStart.ParseForReader("mysql-bin.000003:4").Position);
    }

    private static BinlogEventHeader Header(BinlogEventType type) => new(1_700_000_000, type, 1, 0, 0, 0);

    private static TableMapEvent Map(string database, string table) => new(Header(BinlogEventType.TableMap), 1, database, table, []);
}
