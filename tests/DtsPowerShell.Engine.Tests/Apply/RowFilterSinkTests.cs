using DtsPowerShell.Engine.Apply;
using DtsPowerShell.Engine.Binlog.Events;
using DtsPowerShell.Engine.Changes;
using DtsPowerShell.Engine.Ddl;
using DtsPowerShell.Engine.Schema;
using static DtsPowerShell.Engine.Tests.Apply.StreamFixtures;

namespace DtsPowerShell.Engine.Tests.Apply;

public sealed class RowFilterSinkTests
{
    private static readonly TrackedTable Orders = new(new TableSchema("shop", "orders",
        [new ColumnSchema("id", "int", "int(11)", null, false, false), new ColumnSchema("v", "int", "int(11)", null, true, false)], [0], 0), "CREATE TABLE `orders` (…)");

    private readonly CancellationToken none = CancellationToken.None;

    [Fact]
    public async Task RowsMovingIntoTheFilterAreInsertedThoseMovingOutDeletedAndTheOrderKept()
    {
        var sink = new RecordingSink();
        var filter = new RowFilterSink(sink, new Dictionary<(string, string), string> { [("shop", "orders")] = "v > 10" }, [Orders]);
        await filter.RowsAsync(Rows("shop", "orders", RowsEventKind.Insert, [1, 5], [2, 20]), ApplyMode.Exact, none);
        await filter.RowsAsync(Updates(([3, 5], [3, 20]), ([4, 20], [4, 5]), ([5, 20], [5, 30]), ([6, 1], [6, 2])), ApplyMode.Idempotent, none);
        await filter.RowsAsync(Rows("shop", "orders", RowsEventKind.Delete, [7, 50], [8, 1]), ApplyMode.Exact, none);
        await filter.RowsAsync(Rows("shop", "items", RowsEventKind.Delete, [9, 1]), ApplyMode.Exact, none);

        Assert.Equal(
            ["Insert: +2", "Insert: +3", "Delete: -4", "Update: -5 +5", "Delete: -7", "Delete: -9"],
            sink.RowEvents.Select(e => $"{e.Kind}: " + string.Join(" ", e.Rows.Select(r => (r.Before is null ? "" : $"-{r.Before[0]} ") + (r.After is null ? "" : $"+{r.After[0]}")).Select(t => t.Trim()))));
        Assert.Equal("rows shop.orders Update Idempotent", sink.Calls[3]);
    }

    [Fact]
    public async Task AStatementReadsTheConditionAgainARenameKeepsItAndAColumnItNeedsGoneStopsTheJob()
    {
        var sink = new RecordingSink();
        var filter = new RowFilterSink(sink, new Dictionary<(string, string), string> { [("shop", "orders")] = "v > 10" }, [Orders]);
        var renamed = Orders with { Schema = Orders.Schema with { Name = "orders_old" } };
        await filter.StatementAsync(Statement("RENAME TABLE orders TO orders_old", new DdlDecision(DdlOutcome.Applied, "RENAME …"),
            changes: new Dictionary<(string Database, string Table), TrackedTable?> { [("shop", "orders")] = null, [("shop", "orders_old")] = renamed }), null, none);
        await filter.RowsAsync(Rows("shop", "orders_old", RowsEventKind.Insert, [1, 5], [2, 20]), ApplyMode.Exact, none);
        Assert.Equal(["+2"], sink.RowEvents.Single().Rows.Select(r => $"+{r.After![0]}"));

        var withoutV = renamed with { Schema = renamed.Schema with { Columns = [renamed.Schema.Columns[0]] } };
        var error = await Assert.ThrowsAsync<SyncStoppedException>(async () => await filter.StatementAsync(
            Statement("ALTER TABLE orders_old DROP COLUMN v", new DdlDecision(DdlOutcome.Applied, "ALTER …"),
                changes: new Dictionary<(string Database, string Table), TrackedTable?> { [("shop", "orders_old")] = withoutV }), null, none));
        Assert.Contains("Column `v` is not in shop.orders_old", error.Message, StringComparison.Ordinal);
        Assert.Contains("ALTER TABLE orders_old DROP COLUMN v", error.Message, StringComparison.Ordinal);
    }

    private static RowsEvent Updates(params (object?[] Before, object?[] After)[] rows) =>
        Rows("shop", "orders", RowsEventKind.Update) with { Rows = [.. rows.Select(r => new RowChange(r.Before, r.After))] };
}
