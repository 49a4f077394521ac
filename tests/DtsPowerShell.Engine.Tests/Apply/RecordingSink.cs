using DtsPowerShell.Engine.Binlog;
using DtsPowerShell.Engine.Binlog.Events;
using DtsPowerShell.Engine.Changes;

namespace DtsPowerShell.Engine.Tests.Apply;

/// <summary>A sink that writes down what reaches it, one line per call, for the decorators' tests.</summary>
internal sealed class RecordingSink : IChangeSink
{
    public List<string> Calls { get; } = [];

    /// <summary>The rows events that reached the sink, as they came.</summary>
    public List<RowsEvent> RowEvents { get; } = [];

    public ValueTask BeginAsync(BinlogPosition at, CancellationToken cancellationToken) => Record($"begin {at.Position}");

    public ValueTask RowsAsync(RowsEvent rows, ApplyMode mode, CancellationToken cancellationToken)
    {
        RowEvents.Add(rows);
        return Record($"rows {rows.Table.Database}.{rows.Table.Table} {rows.Kind} {mode}");
    }

    public ValueTask StatementAsync(StatementChange statement, string? skipBecause, CancellationToken cancellationToken) =>
        Record($"statement {statement.Query.Query}" + (skipBecause is null ? "" : $" (skipped: {skipBecause})"));

    public ValueTask EndAsync(TransactionEnd end, CancellationToken cancellationToken) => Record($"end {end.Position.Position}");

    public ValueTask FlushAsync(CancellationToken cancellationToken) => Record("flush");

    private ValueTask Record(string call)
    {
        Calls.Add(call);
        return ValueTask.CompletedTask;
    }
}
