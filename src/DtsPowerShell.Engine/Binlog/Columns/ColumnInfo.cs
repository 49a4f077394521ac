namespace DtsPowerShell.Engine.Binlog.Columns;

/// <summary>
/// One column of a TABLE_MAP event: its binlog type and metadata, and what the optional metadata adds
/// (MySQL 8 / MariaDB 10.5+ with binlog_row_metadata): name, signedness, collation, ENUM/SET values, key.
/// For CHAR columns that hold ENUM or SET, <see cref="Type"/> is the real type (Enum or Set).
/// </summary>
public sealed record ColumnInfo(ColumnType Type, int Metadata, bool Nullable)
{
    public string? Name { get; internal set; }

    /// <summary>Null when the binlog does not say.</summary>
    public bool? Unsigned { get; internal set; }

    private int? collation;

    /// <summary>The collation id of a character column; null when the binlog does not say.</summary>
    public int? Collation
    {
        get => collation;
        internal set
        {
            collation = value;
            TextEncoding = value is { } id ? CharacterSets.ForCollation(id) : null;
        }
    }

    public IReadOnlyList<string>? EnumValues { get; internal set; }

    public IReadOnlyList<string>? SetValues { get; internal set; }

    public bool IsPrimaryKey { get; internal set; }

    /// <summary>The geometry subtype, when the optional metadata gives one.</summary>
    public int? GeometryType { get; internal set; }

    /// <summary>The encoding of the column's collation, looked up when it is set; null for binary or unknown.</summary>
    internal System.Text.Encoding? TextEncoding { get; private set; }
}
