using DtsPowerShell.Engine.Binlog;
using DtsPowerShell.Engine.Binlog.Events;
using DtsPowerShell.Engine.Changes;
using DtsPowerShell.Engine.Ddl;
using DtsPowerShell.Engine.Schema;

namespace DtsPowerShell.Engine.Tests.Apply;

/// <summary>Hand-made changes for the sinks' tests.</summary>
internal static class StreamFixtures
{
    public static BinlogPosition At(ulong position) => new("bin.000001", position);

    public static RowsEvent Rows(string database, string table, RowsEventKind kind = RowsEventKind.Insert, params object?[][] afterImages) =>
        new(Header(BinlogEventType.WriteRowsV1), kind, new TableMapEvent(Header(BinlogEventType.TableMap), 1, database, table, []),
            [.. afterImages.Select(a => new RowChange(kind == RowsEventKind.Delete ? a : null, kind == RowsEventKind.Delete ? null : a))]);

    public static StatementChange Statement(
        string sql, DdlDecision decision, uint threadId = 1, IReadOnlyDictionary<(string Database, string Table), TrackedTable?>? changes = null, string database = "shop") =>
        new(new QueryEvent(Header(BinlogEventType.Query), threadId, 0, 0, database, sql, null, null, null, null, null),
            DdlParser.Parse(sql, database, ansiQuotes: false), sql, decision, changes ?? new Dictionary<(string, string), TrackedTable?>());

    public static TrackedTable Table(string database, string name) =>
        new(new TableSchema(database, name, [new ColumnSchema("id", "int", "int", null, false, false)], [0], 0), $"CREATE TABLE `{name}` (`id` int NOT NULL, PRIMARY KEY (`id`))");

    public static TransactionEnd End(ulong position) => new(At(position), DateTime.UnixEpoch);

    private static BinlogEventHeader Header(BinlogEventType type) => new(1_700_000_000, type, 1, 0, 0, 0);
}
