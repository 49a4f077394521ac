using System.Threading.Channels;
using DtsPowerShell.Engine.Apply;
using DtsPowerShell.Engine.Binlog.Events;
using DtsPowerShell.Engine.Changes;
using DtsPowerShell.Engine.Connections;
using DtsPowerShell.Engine.Ddl;
using DtsPowerShell.Engine.Schema;
using static DtsPowerShell.Engine.Tests.Apply.StreamFixtures;

namespace DtsPowerShell.Engine.Tests.Apply;

public sealed class SinkDecoratorTests
{
    private static readonly DdlDecision Applied = new(DdlOutcome.Applied, "ALTER TABLE `shop`.`orders` ADD c INT");
    private readonly CancellationToken none = CancellationToken.None;

    [Fact]
    public async Task CopyOverlapSkipsWhatTheCopyHoldsReplaysWhatItMayHoldAndPassesTheRest()
    {
        var sink = new RecordingSink();
        var copies = new Dictionary<(string Database, string Table), TableCopyState>
        {
            [("shop", "orders")] = new("shop", "orders", At(1000), At(2000), null, 10, true),
        };
        var overlap = new CopyOverlap(sink, copies, (database, table) => database == "shop", At(4));
        foreach (var start in new ulong[] { 500, 1500, 2500 })
        {
            await overlap.BeginAsync(At(start), none);
            await overlap.RowsAsync(Rows("shop", "orders"), ApplyMode.Exact, none);
            await overlap.RowsAsync(Rows("shop", "items"), ApplyMode.Exact, none);
            await overlap.EndAsync(End(start + 100), none);
        }

        Assert.Equal(
            ["begin 500", "rows shop.items Insert Exact", "end 600",
             "begin 1500", "rows shop.orders Insert Idempotent", "rows shop.items Insert Exact", "end 1600",
             "begin 2500", "rows shop.orders Insert Exact", "rows shop.items Insert Exact", "end 2600"],
            sink.Calls);
    }

    [Fact]
    public async Task CopyOverlapPassesAStatementTheCopiesHoldAsOnTheTargetAndMovesACopyStateWithARename()
    {
        var sink = new RecordingSink();
        var copies = new Dictionary<(string Database, string Table), TableCopyState>
        {
            [("shop", "orders")] = new("shop", "orders", At(1000), At(5000), null, 10, true),
        };
        var overlap = new CopyOverlap(sink, copies, (database, table) => database == "shop", At(4));
        await overlap.BeginAsync(At(500), none);
        await overlap.StatementAsync(Statement("ALTER TABLE orders ADD c INT", Applied), null, none);
        await overlap.StatementAsync(Statement("ALTER TABLE orders ADD d INT", new DdlDecision(DdlOutcome.Skipped)), null, none);
        await overlap.BeginAsync(At(3000), none);
        var renamed = new Dictionary<(string Database, string Table), TrackedTable?> { [("shop", "orders")] = null, [("shop", "orders_2026")] = Table("shop", "orders_2026") };
        await overlap.StatementAsync(Statement("RENAME TABLE orders TO orders_2026", new DdlDecision(DdlOutcome.Applied, "RENAME …"), changes: renamed), null, none);
        await overlap.BeginAsync(At(3500), none);
        await overlap.RowsAsync(Rows("shop", "orders_2026"), ApplyMode.Exact, none);

        Assert.Equal(
            ["begin 500", "statement ALTER TABLE orders ADD c INT (skipped: its effect is in the initial copy, taken after it)",
             "begin 3000", "statement RENAME TABLE orders TO orders_2026", "begin 3500", "rows shop.orders_2026 Insert Idempotent"],
            sink.Calls);
        Assert.Equal(["orders_2026"], copies.Keys.Select(k => k.Table));
    }

    [Fact]
    public async Task TheLoopGuardLeavesOutTheOtherHalfsTransactionsAndKnowsItsStatementsBySession()
    {
        var sink = new RecordingSink();
        var guard = new TwoWayLoopGuard(sink, "job-a", "target:3306", []);
        await guard.BeginAsync(At(100), none);
        await guard.RowsAsync(Rows(DtsObjects.Database, DtsObjects.OriginTable, RowsEventKind.Insert, ["job-b", "target:3306", 1UL, 77UL]), ApplyMode.Exact, none);
        await guard.RowsAsync(Rows("shop", "orders"), ApplyMode.Exact, none);
        await guard.RowsAsync(Rows(DtsObjects.Database, DtsObjects.DdlPendingTable, RowsEventKind.Insert, ["job-b", "bin.1:5", "look"]), ApplyMode.Exact, none);
        await guard.EndAsync(End(200), none);
        Assert.True(guard.Changed);

        await guard.BeginAsync(At(200), none);
        await guard.StatementAsync(Statement("ALTER TABLE orders ADD c INT", Applied, threadId: 77), null, none);
        await guard.StatementAsync(Statement("ALTER TABLE orders ADD d INT", Applied, threadId: 12), null, none);
        // A reason given from outside (the copies hold it) stands.
        await guard.StatementAsync(Statement("ALTER TABLE orders ADD e INT", Applied, threadId: 77), "copied", none);
        await guard.EndAsync(End(300), none);

        // A mark from another server (a cascade) is not the other half's: its rows go on.
        await guard.BeginAsync(At(300), none);
        await guard.RowsAsync(Rows(DtsObjects.Database, DtsObjects.OriginTable, RowsEventKind.Insert, ["job-c", "elsewhere:3306", 1UL, 5UL]), ApplyMode.Exact, none);
        await guard.RowsAsync(Rows("shop", "orders"), ApplyMode.Exact, none);

        Assert.Equal(
            ["begin 100", "end 200", "begin 200", "statement ALTER TABLE orders ADD c INT (skipped: run on this job's target first: the job that syncs the other way brought it here)", "statement ALTER TABLE orders ADD d INT", "statement ALTER TABLE orders ADD e INT (skipped: copied)", "end 300",
             "begin 300", "rows _dts.txn_origin Insert Exact", "rows shop.orders Insert Exact"],
            sink.Calls);
    }

    [Fact]
    public async Task TheLoopGuardForgetsASessionWhenTheJournalsMarkIsRemoved()
    {
        var sink = new RecordingSink();
        var guard = new TwoWayLoopGuard(sink, "job-a", "target:3306", new Dictionary<string, ulong> { ["job-b"] = 77 });
        await guard.BeginAsync(At(100), none);
        await guard.RowsAsync(Rows(DtsObjects.Database, DtsObjects.OriginTable, RowsEventKind.Insert, ["job-b", "target:3306", 2UL, 77UL]), ApplyMode.Exact, none);
        await guard.RowsAsync(Rows(DtsObjects.Database, DtsObjects.DdlPendingTable, RowsEventKind.Delete, ["job-b", "bin.1:5", "look"]), ApplyMode.Exact, none);
        await guard.EndAsync(End(200), none);
        await guard.BeginAsync(At(200), none);
        await guard.StatementAsync(Statement("ALTER TABLE orders ADD c INT", Applied, threadId: 77), null, none);

        Assert.True(guard.Changed);
        Assert.Equal(["begin 100", "end 200", "begin 200", "statement ALTER TABLE orders ADD c INT"], sink.Calls);
    }

    [Fact]
    public async Task TheHeartbeatMeterTakesTheJobsHeartbeatsAndFallsBackToCommitTimes()
    {
        var sink = new RecordingSink();
        var clock = new ManualClock(DateTimeOffset.Parse("2026-01-01T00:00:10Z", System.Globalization.CultureInfo.InvariantCulture));
        var progress = new SyncProgress();
        var meter = new HeartbeatMeter(sink, "job-a", progress, clock);
        await meter.BeginAsync(At(100), none);
        await meter.RowsAsync(Rows(DtsObjects.Database, DtsObjects.HeartbeatTable, RowsEventKind.Update, ["job-b", 1L]), ApplyMode.Exact, none);
        Assert.Null(progress.Latency);
        await meter.RowsAsync(Rows(DtsObjects.Database, DtsObjects.HeartbeatTable, RowsEventKind.Update, ["job-a", DateTime.UtcNow.AddSeconds(-2).Subtract(DateTime.UnixEpoch).Ticks / 10]), ApplyMode.Exact, none);
        Assert.InRange(progress.Latency!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        await meter.RowsAsync(Rows("shop", "orders"), ApplyMode.Exact, none);
        await meter.EndAsync(new TransactionEnd(At(200), clock.GetUtcNow().UtcDateTime.AddSeconds(-30)), none);
        Assert.True(progress.Latency < TimeSpan.FromSeconds(30));

        clock.Advance(TimeSpan.FromSeconds(6));
        await meter.EndAsync(new TransactionEnd(At(300), clock.GetUtcNow().UtcDateTime.AddSeconds(-30)), none);
        Assert.Equal(TimeSpan.FromSeconds(30), progress.Latency);
        Assert.Equal(["begin 100", "rows shop.orders Insert Exact", "end 200", "end 300"], sink.Calls);
    }

    [Fact]
    public async Task TheOperationFilterPassesOnlyTheChosenKindsAndSkipsDdlWhenItIsLeftOut()
    {
        var sink = new RecordingSink();
        var filter = new OperationFilter(sink, SyncOperations.Insert | SyncOperations.Delete);
        await filter.BeginAsync(At(100), none);
        await filter.RowsAsync(Rows("shop", "orders", RowsEventKind.Insert), ApplyMode.Exact, none);
        await filter.RowsAsync(Rows("shop", "orders", RowsEventKind.Update), ApplyMode.Exact, none);
        await filter.RowsAsync(Rows("shop", "orders", RowsEventKind.Delete), ApplyMode.Idempotent, none);
        await filter.StatementAsync(Statement("ALTER TABLE orders ADD c INT", Applied), null, none);
        await filter.StatementAsync(Statement("GRANT SELECT ON shop.* TO u", new DdlDecision(DdlOutcome.Skipped)), null, none);
        await filter.EndAsync(End(200), none);

        Assert.Equal(
            ["begin 100", "rows shop.orders Insert Exact", "rows shop.orders Delete Idempotent", "statement ALTER TABLE orders ADD c INT (skipped: the job's -Operation leaves DDL out)", "statement GRANT SELECT ON shop.* TO u", "end 200"],
            sink.Calls);

        var all = new RecordingSink();
        await new OperationFilter(all, SyncOperations.All).StatementAsync(Statement("ALTER TABLE orders ADD c INT", Applied), null, none);
        Assert.Equal(["statement ALTER TABLE orders ADD c INT"], all.Calls);
        Assert.Throws<DtsInputException>(() => SyncOperationChoice.Combine([SyncOperations.None]));
        Assert.Equal(SyncOperations.Insert | SyncOperations.Ddl, SyncOperationChoice.Combine([SyncOperations.Insert, SyncOperations.Ddl]));
        Assert.Null(SyncOperationChoice.Combine(null));
    }

    [Fact]
    public async Task ThePumpStopsBeforeTheFirstTransactionAtItsStopPositionAndRefusesWhatCannotBeApplied()
    {
        var sink = new RecordingSink();
        var changes = Channel.CreateUnbounded<Change>();
        foreach (var change in new Change[] { new TransactionStart(At(100)), new RowChanges(Rows("shop", "orders")), End(200), new TransactionStart(At(300)), new RowChanges(Rows("shop", "orders")), End(400) })
        {
            changes.Writer.TryWrite(change);
        }

        await ChangePump.RunAsync(changes.Reader, sink, At(4), () => false, stopBefore: At(300), none).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(["begin 100", "rows shop.orders Insert Exact", "end 200", "flush"], sink.Calls);

        var unsupported = Channel.CreateUnbounded<Change>();
        unsupported.Writer.TryWrite(new TransactionStart(At(100)));
        unsupported.Writer.TryWrite(new UnsupportedChange(Rows("shop", "orders"), "an XA transaction (XA PREPARE)"));
        var error = await Assert.ThrowsAsync<SyncStoppedException>(() => ChangePump.RunAsync(unsupported.Reader, new RecordingSink(), At(4), () => false, null, none).WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("XA PREPARE", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThePumpFlushesWhenTheQueueRunsDryAtABoundaryAndStopsThereWhenAsked()
    {
        var sink = new RecordingSink();
        var changes = Channel.CreateUnbounded<Change>();
        changes.Writer.TryWrite(new TransactionStart(At(100)));
        changes.Writer.TryWrite(new RowChanges(Rows("shop", "orders")));
        var stop = false;
        var run = ChangePump.RunAsync(changes.Reader, sink, At(4), () => stop, null, none);
        changes.Writer.TryWrite(End(200));
        await WaitUntilAsync(() => sink.Calls.Contains("flush"));
        stop = true;
        await run.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(["begin 100", "rows shop.orders Insert Exact", "end 200", "flush"], sink.Calls.Distinct());
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not hold within 30 s.");
            await Task.Delay(10);
        }
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        private long ticks;

        public override DateTimeOffset GetUtcNow() => now.AddTicks(ticks);

        public override long GetTimestamp() => ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public void Advance(TimeSpan by) => ticks += by.Ticks;
    }
}
