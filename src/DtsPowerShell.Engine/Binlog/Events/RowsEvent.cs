namespace DtsPowerShell.Engine.Binlog.Events;

/// <summary>
/// Rows inserted, updated or deleted in one table. Each row's images hold one value per table column:
/// a typed value, null for SQL NULL, or <see cref="RowImage.Absent"/> for a column the image leaves out
/// (binlog_row_image MINIMAL or NOBLOB). Inserts have only an after image, deletes only a before image.
/// </summary>
public sealed record RowsEvent(BinlogEventHeader Header, RowsEventKind Kind, TableMapEvent Table, IReadOnlyList<RowChange> Rows) : BinlogEvent(Header)
{
    /// <summary>The checks the source wrote these rows under (foreign keys, unique keys).</summary>
    public RowsEventFlags Flags { get; init; }
}

/// <summary>One changed row: the image before the change and after it.</summary>
public readonly record struct RowChange(object?[]? Before, object?[]? After);

/// <summary>Markers inside row images.</summary>
public static class RowImage
{
    /// <summary>The column is not part of this image.</summary>
    public static readonly object Absent = new AbsentValue();

    private sealed class AbsentValue
    {
        public override string ToString() => "(absent)";
    }
}
