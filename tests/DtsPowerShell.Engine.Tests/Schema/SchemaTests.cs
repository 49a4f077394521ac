using DtsPowerShell.Engine.Binlog;
using DtsPowerShell.Engine.Binlog.Columns;
using DtsPowerShell.Engine.Binlog.Events;
using DtsPowerShell.Engine.Schema;

namespace DtsPowerShell.Engine.Tests.Schema;

public sealed class SchemaTests
{
    [Fact]
    public void ParsesEnumAndSetLabels()
    {
        Assert.Equal(["a", "it's", "b,c", ""], new ColumnSchema("e", "enum", "enum('a','it''s','b,c','')", "utf8mb4_general_ci", true, false).Labels);
        Assert.Empty(new ColumnSchema("i", "int", "int(10) unsigned", null, false, false).Labels);
        Assert.True(new ColumnSchema("i", "int", "int(10) unsigned", null, false, false).Unsigned);
    }

    [Fact]
    public void TheBinderFillsWhatTheBinlogLeftOutAndRefusesAChangedTable()
    {
        var schema = new TableSchema("shop", "t",
            [new ColumnSchema("id", "bigint", "bigint(20) unsigned", null, false, false), new ColumnSchema("name", "varchar", "varchar(10)", "latin1_swedish_ci", true, false)], [0], 0);
        var collations = new Dictionary<string, int> { ["latin1_swedish_ci"] = 8 };
        TableSchema? SchemaOf(string database, string table) => (database, table) == ("shop", "t") ? schema : null;
        var binder = new TableMapBinder(SchemaOf, collations);
        var header = new BinlogEventHeader(0, BinlogEventType.TableMap, 1, 0, 0, 0);
        var map = new TableMapEvent(header, 1, "shop", "t", [new ColumnInfo(ColumnType.LongLong, 0, false), new ColumnInfo(ColumnType.VarChar, 10, true)]);
        binder.Bind(map);
        Assert.Equal("id", map.Columns[0].Name);
        Assert.True(map.Columns[0].Unsigned);
        Assert.Equal(8, map.Columns[1].Collation);

        var changed = new TableMapEvent(header, 2, "shop", "t", [new ColumnInfo(ColumnType.LongLong, 0, false), new ColumnInfo(ColumnType.Long, 0, true)]);
        Assert.Contains("structure changed", Assert.Throws<SchemaMismatchException>(() => binder.Bind(changed)).Message, StringComparison.Ordinal);
        var wider = new TableMapEvent(header, 3, "shop", "t", [new ColumnInfo(ColumnType.LongLong, 0, false)]);
        Assert.Throws<SchemaMismatchException>(() => binder.Bind(wider));
        binder.Bind(new TableMapEvent(header, 4, "other", "t", [new ColumnInfo(ColumnType.Long, 0, false)]));

        // A reader's binder says why and leaves the changed table by position, unnamed.
        var reasons = new List<string>();
        var lenient = new TableMapBinder(SchemaOf, collations, reasons.Add);
        var changedAgain = new TableMapEvent(header, 5, "shop", "t", [new ColumnInfo(ColumnType.LongLong, 0, false), new ColumnInfo(ColumnType.Long, 0, true)]);
        lenient.Bind(changedAgain);
        Assert.Contains("structure changed", Assert.Single(reasons), StringComparison.Ordinal);
        Assert.All(changedAgain.Columns, c => Assert.Null(c.Name));
    }

    [Fact]
    public void PositionsOrderByFileSequenceThenOffset()
    {
        Assert.True(new BinlogPosition("mysql-bin.000010", 4).CompareTo(new BinlogPosition("mysql-bin.000009", 900)) > 0);
        Assert.True(new BinlogPosition("mysql-bin.000009", 4).CompareTo(new BinlogPosition("mysql-bin.000009", 900)) < 0);
        Assert.Equal(0, new BinlogPosition("b.000001", 4, "0-1-1").CompareTo(new BinlogPosition("b.000001", 4)));
    }
}
