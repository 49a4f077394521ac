using DtsPowerShell.Engine.Binlog;
using DtsPowerShell.Engine.Binlog.Events;
using DtsPowerShell.Engine.Changes;
using DtsPowerShell.Engine.Tests.Binlog;

namespace DtsPowerShell.Engine.Tests.Changes;

public sealed class BinlogEventReaderTests
{
    private const string Fixture = "MySqlCdc/mysql-bin.000001";

    [FixtureFact]
    public void EachEventShownCarriesTheStartOfItsTransaction()
    {
        var all = Events(ChangeFilter.All).ToList();
        var rows = Read(new BinlogEventReader(ChangeFilter.ByPattern(kinds: ["Insert", "Update", "Delete"]), null, null, 0, null, null));
        Assert.NotEmpty(rows);
        foreach (var read in rows)
        {
            Assert.IsType<RowsEvent>(read.Event);
            var begin = ulong.Parse(read.Transaction!.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture);
            var first = all.Single(e => e.Header.Position == begin);
            Assert.True(first is GtidEvent or QueryEvent { IsBegin: true }, $"The transaction of the rows at {read.Event.Header.Position} begins with a {first.GetType().Name}.");
            Assert.DoesNotContain(all, e => e.Header.Position > begin && e.Header.Position < read.Event.Header.Position && e is XidEvent);
        }
    }

    [FixtureFact]
    public void ACountAnOffsetAndAStopEndTheReading()
    {
        var counted = new BinlogEventReader(ChangeFilter.All, null, null, 0, null, count: 5);
        Assert.Equal(5, Read(counted).Count);
        Assert.True(counted.Ended);

        var all = Events(ChangeFilter.All).ToList();
        var middle = all[all.Count / 2].Header.Position;
        var later = Read(new BinlogEventReader(ChangeFilter.All, null, null, middle, null, null));
        Assert.Equal(middle, later[0].Event.Header.Position);
        Assert.Equal(all.Count(e => e.Header.Position >= middle), later.Count);

        var stopped = Read(new BinlogEventReader(ChangeFilter.All, BinlogStop.Parse($"mysql-bin.000001:{middle}"), null, 0, null, null));
        Assert.All(stopped, read => Assert.True(read.Event.Header.Position < middle));
    }

    private static List<ReadEvent> Read(BinlogEventReader reader)
    {
        var shown = new List<ReadEvent>();
        using var file = new BinlogFileReader(BinlogFixtures.PathOf(Fixture)) { Decoder = new BinlogEventDecoder { DecodeRowsOf = reader.DecodeRowsOf } };
        foreach (var binlogEvent in file.ReadEvents())
        {
            if (!reader.Offer(binlogEvent, "mysql-bin.000001", shown))
            {
                break;
            }
        }

        return shown;
    }

    private static IEnumerable<BinlogEvent> Events(ChangeFilter filter)
    {
        using var file = new BinlogFileReader(BinlogFixtures.PathOf(Fixture)) { Decoder = new BinlogEventDecoder { DecodeRowsOf = filter.DecodesRowsOf } };
        foreach (var binlogEvent in file.ReadEvents())
        {
            yield return binlogEvent;
        }
    }
}
