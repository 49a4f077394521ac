using DtsPowerShell.Engine.Binlog.Events;
using DtsPowerShell.Engine.Changes;
using DtsPowerShell.Engine.Schema;
using DtsPowerShell.Engine.Selection;

namespace DtsPowerShell.Engine.Apply;

/// <summary>
/// Row changes read from a binlog as SQL, with the applier's own statements (<see cref="RowSqlBuilder"/>): one
/// transaction to replay them on another server, or, reversed, to undo them (each change in reverse order, a delete
/// made an insert, an insert a delete, an update set back to its before image). Rows are found by the table's key,
/// else by their whole before image, as the sync finds them.
/// </summary>
public sealed class ChangeScript
{
    private readonly Dictionary<TableMapEvent, TargetTable> tables = new(ReferenceEqualityComparer.Instance);

    /// <summary>One source transaction's row changes as <c>SET …; BEGIN; …; COMMIT;</c>, the session set as the sync sets its own.</summary>
    /// <param name="changes">The rows events of the transaction, in binlog order, each with the table's schema.</param>
    /// <param name="undo">Write the statements that reverse them instead.</param>
    public string Transaction(IReadOnlyList<(RowsEvent Rows, TableSchema Schema)> changes, bool undo)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var sql = new RowSqlBuilder(lineByLine: true);
        foreach (var (rows, schema) in undo ? changes.Reverse() : changes)
        {
            var table = Table(rows.Table, schema);
            foreach (var change in undo ? rows.Rows.Reverse() : rows.Rows)
            {
                RequireWhole(rows, change);
                switch (rows.Kind, undo)
                {
                    case (RowsEventKind.Insert, false):
                    case (RowsEventKind.Delete, true):
                        sql.Insert(table, change.After ?? change.Before!, ApplyMode.Exact);
                        break;
                    case (RowsEventKind.Delete, false):
                    case (RowsEventKind.Insert, true):
                        sql.Delete(table, change.Before ?? change.After!);
                        break;
                    case (RowsEventKind.Update, false):
                        sql.Update(table, change.Before!, change.After!, ApplyMode.Exact);
                        break;
                    case (RowsEventKind.Update, true):
                        sql.Update(table, change.After!, change.Before!, ApplyMode.Exact);
                        break;
                }
            }
        }

        // The values are written as the sync writes them: TIMESTAMPs in UTC, zero kept in AUTO_INCREMENT columns, zero dates allowed.
        return $"SET SESSION time_zone = '+00:00', SESSION sql_mode = '{Connections.MySqlConnectionFactory.SyncSqlMode}';\nBEGIN;\n" + sql.Take() + "COMMIT;\n";
    }

    private TargetTable Table(TableMapEvent map, TableSchema schema)
    {
        if (!tables.TryGetValue(map, out var table))
        {
            table = new TargetTable(schema, NameMapping.Empty);
            tables[map] = table;
        }

        return table;
    }

    /// <summary>A partial row image (binlog_row_image MINIMAL or NOBLOB) cannot be replayed or undone faithfully.</summary>
    private static void RequireWhole(RowsEvent rows, RowChange change)
    {
        if ((change.Before ?? []).Concat(change.After ?? []).Any(v => ReferenceEquals(v, RowImage.Absent)))
        {
            throw new DtsInputException(
                $"A change to {rows.Table.Database}.{rows.Table.Table} at {rows.Header.Position} holds a partial row image (binlog_row_image was not FULL when it was written): it cannot be replayed or undone exactly.",
                "Convert only changes written with binlog_row_image=FULL.");
        }
    }
}
