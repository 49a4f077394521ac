using DtsPowerShell.Engine.Binlog;
using DtsPowerShell.Engine.Binlog.Events;

namespace DtsPowerShell.Engine.Tests.Binlog;

public sealed class BinlogStopTests
{
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
}
