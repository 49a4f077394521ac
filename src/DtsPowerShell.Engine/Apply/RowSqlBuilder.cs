using System.Text;
using DtsPowerShell.Engine.Binlog.Events;
using DtsPowerShell.Engine.Changes;

namespace DtsPowerShell.Engine.Apply;

/// <summary>
/// Turns row changes into SQL text, several statements separated by semicolons: consecutive inserts into one table
/// become one multi-row INSERT; updates and deletes go by the key, or for a table without one by the whole before
/// image with LIMIT 1 (so exact duplicates stay duplicates). In <see cref="ApplyMode.Idempotent"/> mode (replaying
/// changes the target may already hold) inserts and updates become upserts (INSERT … ON DUPLICATE KEY UPDATE: never a
/// delete, so no ON DELETE CASCADE fires) and a changed key deletes the old row first.
/// </summary>
public sealed class RowSqlBuilder
{
    private readonly StringBuilder sql = new();
    private readonly string terminator;
    private TargetTable? openInsertTable;
    private bool openInsertUpserts;
    private RowsEventFlags checksOff;

    /// <param name="lineByLine">Each statement on its own line (a script a person reads), instead of one line.</param>
    public RowSqlBuilder(bool lineByLine = false) => terminator = lineByLine ? ";\n" : ";";

    /// <summary>
    /// An exact update of a table with a key also matches the rest of the before image (the columns it holds), so a
    /// target row that differs from the source's is matched by none: the applier counts the rows matched to see it.
    /// </summary>
    public bool MatchBeforeImage { get; init; }

    /// <summary>The session's checks are not known (a statement may have changed them): the next rows set them.</summary>
    public void ForgetChecks() => checksOff = (RowsEventFlags)ushort.MaxValue;

    public int Length => sql.Length;

    public bool IsEmpty => sql.Length == 0;

    /// <summary>
    /// The rows that follow run under the checks the source wrote them under (a rows event's flags), as a replica applies
    /// them: foreign_key_checks and unique_checks are set when they change. The session starts with both on.
    /// </summary>
    public void ChecksAs(RowsEventFlags flags)
    {
        var off = flags & (RowsEventFlags.NoForeignKeyChecks | RowsEventFlags.RelaxedUniqueChecks);
        if (off == checksOff)
        {
            return;
        }

        EndStatement();
        sql.Append("SET SESSION foreign_key_checks=").Append(off.HasFlag(RowsEventFlags.NoForeignKeyChecks) ? '0' : '1')
            .Append(",SESSION unique_checks=").Append(off.HasFlag(RowsEventFlags.RelaxedUniqueChecks) ? '0' : '1').Append(terminator);
        checksOff = off;
    }

    public void Insert(TargetTable table, object?[] row, ApplyMode mode)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(row);
        var upsert = mode == ApplyMode.Idempotent && table.Source.HasKey;
        if (openInsertTable == table && openInsertUpserts == upsert)
        {
            sql.Append(',');
        }
        else
        {
            EndStatement();
            sql.Append("INSERT INTO ").Append(table.QuotedName).Append(' ').Append(table.ColumnList).Append(" VALUES ");
            openInsertTable = table;
            openInsertUpserts = upsert;
        }

        AppendValues(table, row);
    }

    public void Update(TargetTable table, object?[] before, object?[] after, ApplyMode mode)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        if (mode == ApplyMode.Idempotent && table.Source.HasKey)
        {
            if (!SameKey(table, before, after))
            {
                Delete(table, before);
            }

            Insert(table, after, mode);
            return;
        }

        EndStatement();
        sql.Append("UPDATE ").Append(table.QuotedName).Append(" SET ");
        var first = true;
        foreach (var i in table.WrittenColumns)
        {
            if (ReferenceEquals(after[i], RowImage.Absent))
            {
                continue;
            }

            sql.Append(first ? "" : ",").Append(table.QuotedColumns[i]).Append('=');
            SqlLiteral.Append(sql, after[i]);
            first = false;
        }

        AppendWhere(table, before);
        if (MatchBeforeImage && table.Source.HasKey)
        {
            AppendImageMatch(table, table.WrittenNonKeyColumns, before, first: false);
        }

        sql.Append(terminator);
    }

    public void Delete(TargetTable table, object?[] before)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(before);
        EndStatement();
        sql.Append("DELETE FROM ").Append(table.QuotedName);
        AppendWhere(table, before);
        sql.Append(terminator);
    }

    /// <summary><c>SELECT 1 FROM … WHERE</c> the row's key (a table with a key): whether the target has a row of that key.</summary>
    public static string KeyLookup(TargetTable table, object?[] row)
    {
        ArgumentNullException.ThrowIfNull(table);
        var lookup = new RowSqlBuilder();
        lookup.sql.Append("SELECT 1 FROM ").Append(table.QuotedName);
        lookup.AppendWhere(table, row);
        return lookup.sql.Append(" LIMIT 1").ToString();
    }

    /// <summary>The statements so far; the builder is empty afterwards.</summary>
    public string Take()
    {
        EndStatement();
        var text = sql.ToString();
        sql.Clear();
        return text;
    }

    private void EndStatement()
    {
        if (openInsertTable is not null)
        {
            if (openInsertUpserts)
            {
                sql.Append(openInsertTable.UpsertClause);
            }

            sql.Append(terminator);
            openInsertTable = null;
        }
    }

    private void AppendValues(TargetTable table, object?[] row)
    {
        sql.Append('(');
        var written = table.WrittenColumns;
        for (var i = 0; i < written.Count; i++)
        {
            if (i > 0)
            {
                sql.Append(',');
            }

            var value = row[written[i]];
            if (ReferenceEquals(value, RowImage.Absent))
            {
                sql.Append("DEFAULT");
            }
            else
            {
                SqlLiteral.Append(sql, value);
            }
        }

        sql.Append(')');
    }

    private void AppendWhere(TargetTable table, object?[] before)
    {
        sql.Append(" WHERE ");
        var source = table.Source;
        if (source.HasKey)
        {
            for (var k = 0; k < source.KeyColumns.Count; k++)
            {
                var i = source.KeyColumns[k];
                sql.Append(k > 0 ? " AND " : "").Append(table.QuotedColumns[i]).Append('=');
                SqlLiteral.Append(sql, before[i]);
            }

            return;
        }

        AppendImageMatch(table, table.WrittenColumns, before, first: true);
        sql.Append(" LIMIT 1");
    }

    /// <summary>Each written column the image holds, compared exactly (NULL-safe, text in its set's binary collation).</summary>
    private void AppendImageMatch(TargetTable table, IReadOnlyList<int> columns, object?[] before, bool first)
    {
        var source = table.Source;
        foreach (var i in columns)
        {
            if (ReferenceEquals(before[i], RowImage.Absent))
            {
                continue;
            }

            sql.Append(first ? "" : " AND ").Append(table.QuotedColumns[i]).Append("<=>");
            var column = source.Columns[i];
            if (table.CharacterSets[i] is { } characterSet && before[i] is not null)
            {
                sql.Append("CONVERT(");
                SqlLiteral.Append(sql, before[i]);
                sql.Append(" USING ").Append(characterSet).Append(") COLLATE ").Append(characterSet).Append("_bin");
            }
            else if ((column.IsFloat && before[i] is float) || column.DataType == "json")
            {
                // A FLOAT column compared with a literal compares as DOUBLE, a JSON column with a JSON string: convert the literal alike.
                sql.Append("CAST(");
                SqlLiteral.Append(sql, before[i]);
                sql.Append(column.IsFloat ? " AS FLOAT)" : " AS JSON)");
            }
            else
            {
                SqlLiteral.Append(sql, before[i]);
            }

            first = false;
        }
    }

    private static bool SameKey(TargetTable table, object?[] before, object?[] after)
    {
        foreach (var i in table.Source.KeyColumns)
        {
            if (!Equals(before[i], after[i]) && !(before[i] is byte[] a && after[i] is byte[] b && a.AsSpan().SequenceEqual(b)))
            {
                return false;
            }
        }

        return true;
    }
}
