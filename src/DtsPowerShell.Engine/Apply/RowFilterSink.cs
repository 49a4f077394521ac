using DtsPowerShell.Engine.Binlog;
using DtsPowerShell.Engine.Binlog.Events;
using DtsPowerShell.Engine.Changes;
using DtsPowerShell.Engine.Changes.Conditions;
using DtsPowerShell.Engine.Schema;

namespace DtsPowerShell.Engine.Apply;

/// <summary>
/// Keeps the rows a job's row filters take (one SQL condition per source table, <see cref="RowCondition"/>): an
/// insert or delete passes where the condition takes its row. An update passes where it takes both images, becomes the
/// insert of the after image where it takes only that one (the row moved into the filter), the delete of the before
/// image where it takes only that one (the row moved out), and is left out where it takes neither. Rows keep their
/// order. A statement that changes a filtered table reads its condition again against the table it left; a table
/// renamed keeps its condition.
/// </summary>
public sealed class RowFilterSink : IChangeSink
{
    private readonly IChangeSink inner;
    private readonly Dictionary<(string Database, string Table), string> texts;
    private readonly Dictionary<(string Database, string Table), RowCondition> conditions = [];

    /// <param name="inner">Where the rows taken go.</param>
    /// <param name="filters">The conditions by source table.</param>
    /// <param name="tables">The followed tables as the stream starts.</param>
    public RowFilterSink(IChangeSink inner, IReadOnlyDictionary<(string Database, string Table), string> filters, IEnumerable<TrackedTable> tables)
    {
        ArgumentNullException.ThrowIfNull(filters);
        ArgumentNullException.ThrowIfNull(tables);
        this.inner = inner;
        texts = new Dictionary<(string, string), string>(filters);
        foreach (var table in tables)
        {
            Read((table.Schema.Database, table.Schema.Name), table.Schema, "at the stream's start");
        }
    }

    public ValueTask BeginAsync(BinlogPosition at, CancellationToken cancellationToken) => inner.BeginAsync(at, cancellationToken);

    public async ValueTask RowsAsync(RowsEvent rows, ApplyMode mode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (!conditions.TryGetValue((rows.Table.Database, rows.Table.Table), out var condition))
        {
            await inner.RowsAsync(rows, mode, cancellationToken).ConfigureAwait(false);
            return;
        }

        // Runs of rows with the same outcome, in order: each run is one event of its kind.
        var run = new List<RowChange>();
        RowsEventKind? runKind = null;
        foreach (var row in rows.Rows)
        {
            var (kind, change) = Outcome(rows.Kind, row, condition);
            if (kind != runKind && run.Count > 0)
            {
                await inner.RowsAsync(rows with { Kind = runKind!.Value, Rows = run }, mode, cancellationToken).ConfigureAwait(false);
                run = [];
            }

            runKind = kind;
            if (kind is not null)
            {
                run.Add(change);
            }
        }

        if (run.Count > 0)
        {
            await inner.RowsAsync(rows with { Kind = runKind!.Value, Rows = run }, mode, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask StatementAsync(StatementChange statement, string? skipBecause, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statement);
        await inner.StatementAsync(statement, skipBecause, cancellationToken).ConfigureAwait(false);
        foreach (var name in TableStates.Follow(texts, statement.SchemaChanges))
        {
            conditions.Remove(name);
        }

        foreach (var (name, table) in statement.SchemaChanges.Where(c => c.Value is not null))
        {
            Read(name, table!.Schema, $"after the statement {statement.Query.Query}");
        }
    }

    public ValueTask EndAsync(TransactionEnd end, CancellationToken cancellationToken) => inner.EndAsync(end, cancellationToken);

    public ValueTask FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    private static (RowsEventKind? Kind, RowChange Change) Outcome(RowsEventKind kind, RowChange row, RowCondition condition)
    {
        switch (kind)
        {
            case RowsEventKind.Insert:
                return (condition.Matches(row.After!) ? kind : null, row);
            case RowsEventKind.Delete:
                return (condition.Matches(row.Before!) ? kind : null, row);
            default:
                var (before, after) = (condition.Matches(row.Before!), condition.Matches(row.After!));
                return (before, after) switch
                {
                    (true, true) => (RowsEventKind.Update, row),
                    (false, true) => (RowsEventKind.Insert, new RowChange(null, row.After)),
                    (true, false) => (RowsEventKind.Delete, new RowChange(row.Before, null)),
                    _ => (null, row),
                };
        }
    }

    private void Read((string Database, string Table) name, TableSchema schema, string when)
    {
        if (!texts.TryGetValue(name, out var text))
        {
            return;
        }

        try
        {
            conditions[name] = RowCondition.Parse(text, schema);
        }
        catch (DtsInputException e)
        {
            throw new SyncStoppedException($"The row filter of {schema} no longer fits the table {when}: {e.Message} {e.Remedy} Change the job's row filter to fit, then start the job again.");
        }
    }
}
