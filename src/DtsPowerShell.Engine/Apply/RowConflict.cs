using System.Text;
using DtsPowerShell.Engine.Binlog;

namespace DtsPowerShell.Engine.Apply;

/// <summary>The ways an applied change can find the target's row not as the source had it.</summary>
public enum RowConflictKind
{
    /// <summary>An insert whose key the target already holds.</summary>
    InsertKeyExists,

    /// <summary>An update whose row the target does not have.</summary>
    UpdateRowMissing,

    /// <summary>An update whose row on the target differs from the source's before image.</summary>
    UpdateRowDiffers,

    /// <summary>A delete whose row the target does not have.</summary>
    DeleteRowMissing,
}

/// <summary>One conflict: where (table, key), what, and the source transaction it came in.</summary>
public sealed record RowConflict(TargetTable Table, RowConflictKind Kind, string Key, BinlogPosition Position)
{
    /// <summary>The key's columns and values as the row carried them, e.g. <c>id=5</c>; the whole row for a table without a key.</summary>
    public static string DescribeKey(TargetTable table, object?[] row)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(row);
        var text = new StringBuilder();
        var columns = table.Source.HasKey ? table.Source.KeyColumns : table.WrittenColumns;
        foreach (var i in columns)
        {
            text.Append(text.Length > 0 ? ", " : "").Append(table.Source.Columns[i].Name).Append('=');
            SqlLiteral.Append(text, row[i]);
        }

        return text.ToString();
    }

    public string What => Kind switch
    {
        RowConflictKind.InsertKeyExists => "an INSERT whose key the target already has",
        RowConflictKind.UpdateRowMissing => "an UPDATE whose row the target does not have",
        RowConflictKind.UpdateRowDiffers => "an UPDATE whose row on the target differs from the source's row before it",
        _ => "a DELETE whose row the target does not have",
    };

    public override string ToString() =>
        $"Conflict ({Kind}) on {Table.Source.Database}.{Table.Source.Name} (target {Table}), key {Key}, in the source transaction at {Position}: {What}.";
}
