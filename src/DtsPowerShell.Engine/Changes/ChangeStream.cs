using System.Runtime.CompilerServices;
using DtsPowerShell.Engine.Binlog;
using DtsPowerShell.Engine.Binlog.Events;

namespace DtsPowerShell.Engine.Changes;

/// <summary>
/// A binlog stream as a consumer applies it: row changes and statements, each transaction opened by a
/// <see cref="TransactionStart"/> and closed by a <see cref="TransactionEnd"/> that carries the position after it; compressed transactions are flattened, and
/// events that can carry changes no consumer can apply are reported as <see cref="UnsupportedChange"/>. Each statement is
/// read by the <see cref="SchemaTimeline"/> before the next event is decoded, so later rows are bound to the tables it left.
/// </summary>
public static class ChangeStream
{
    // LOAD DATA in statement format (types 6, 8-12, 17, 18) and MySQL 5.1's pre-GA rows events (20-22).
    private static readonly HashSet<BinlogEventType> ChangeCarryingUnknowns = [.. new byte[] { 6, 8, 9, 10, 11, 12, 17, 18, 20, 21, 22 }.Select(b => (BinlogEventType)b)];

    public static async IAsyncEnumerable<Change> ReadAsync(BinlogClient client, BinlogStart start, SchemaTimeline timeline, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(timeline);
        var completed = client.CompletedTransactions;
        await foreach (var binlogEvent in client.StreamAsync(start, cancellationToken).ConfigureAwait(false))
        {
            if (client.BeganTransaction && client.CurrentFile is { } file)
            {
                yield return new TransactionStart(new BinlogPosition(file, binlogEvent.Header.Position));
            }

            if (binlogEvent is TransactionPayloadEvent payload)
            {
                foreach (var inner in payload.Events)
                {
                    if (ToChange(inner) is { } change)
                    {
                        yield return change;
                    }
                    else if (IsStatement(inner, out var query))
                    {
                        yield return await timeline.ReadAsync(query, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            else if (ToChange(binlogEvent) is { } change)
            {
                yield return change;
            }
            else if (IsStatement(binlogEvent, out var query))
            {
                yield return await timeline.ReadAsync(query, cancellationToken).ConfigureAwait(false);
            }

            if (client.CompletedTransactions != completed)
            {
                completed = client.CompletedTransactions;
                yield return new TransactionEnd(client.Committed!, DateTime.UnixEpoch.AddSeconds(binlogEvent.Header.Timestamp));
            }
        }
    }

    private static Change? ToChange(BinlogEvent binlogEvent) => binlogEvent switch
    {
        RowsEvent rows => new RowChanges(rows),
        QueryEvent query when IsXa(query.Query) => new UnsupportedChange(query, $"an XA transaction ({query.Query})"),
        XaPrepareEvent => new UnsupportedChange(binlogEvent, "an XA transaction (XA PREPARE)"),
        UnknownEvent unknown when ChangeCarryingUnknowns.Contains(unknown.Header.Type) => new UnsupportedChange(binlogEvent, $"a {(byte)unknown.Header.Type} event (LOAD DATA in statement format, or a pre-GA rows event)"),
        _ => null,
    };

    private static bool IsStatement(BinlogEvent binlogEvent, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out QueryEvent? query)
    {
        query = binlogEvent is QueryEvent { IsTransactionControl: false } statement && !IsXa(statement.Query) ? statement : null;
        return query is not null;
    }

    private static bool IsXa(string query) => query.StartsWith("XA ", StringComparison.OrdinalIgnoreCase);
}
