using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using DtsPowerShell.Engine.Apply;
using DtsPowerShell.Engine.Selection;

namespace DtsPowerShell.Engine.Snapshot;

/// <summary>
/// The copy's view of a table's columns as raw text-protocol fields, read with character_set_results = NULL: the
/// bytes the server stores, in each column's own character set, never converted. It writes them back unchanged, as
/// LOAD DATA fields (CHARACTER SET binary) or as SQL literals; FLOAT columns are selected as DOUBLE, whose text
/// round-trips (a FLOAT's own text keeps only 6 digits).
/// </summary>
internal sealed class RawFieldFormat
{
    private static readonly HashSet<string> Numbers = ["tinyint", "smallint", "mediumint", "int", "integer", "bigint", "decimal", "numeric", "float", "double", "real", "year"];
    private static readonly HashSet<string> Temporals = ["date", "time", "datetime", "timestamp"];

    // MariaDB's types that the text protocol sends as text (8-4-4-4-12, dotted or colon notation) but that take a binary
    // string as their raw bytes: the text must reach them as text.
    private static readonly HashSet<string> TextualBinaries = ["uuid", "inet4", "inet6"];

    private readonly Kind[] kinds;
    private readonly string?[] characterSets;
    private readonly string?[] collations;

    public RawFieldFormat(TargetTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var columns = table.Source.Columns;
        kinds = columns.Select(c => c.DataType switch
        {
            _ when Numbers.Contains(c.DataType) => Kind.Number,
            _ when Temporals.Contains(c.DataType) => Kind.Temporal,
            "bit" => Kind.Bit,
            "json" => Kind.Json,
            _ when TextualBinaries.Contains(c.DataType) => Kind.Textual,
            _ when c.Collation is not null => Kind.Text,
            _ => Kind.Binary,
        }).ToArray();
        collations = columns.Select(c => c.Collation).ToArray();
        characterSets = collations.Select(c => c is null ? null : c[..c.IndexOf('_', StringComparison.Ordinal)]).ToArray();
        SelectList = string.Join(",", columns.Select(c => c.IsFloat ? $"({QualifiedName.Quote(c.Name)} + 0e0)" : QualifiedName.Quote(c.Name)));

        var loadColumns = new List<string>();
        var expressions = new List<string>();
        foreach (var i in table.WrittenColumns)
        {
            if (kinds[i] is Kind.Bit or Kind.Json or Kind.Textual)
            {
                loadColumns.Add($"@c{i}");
                expressions.Add($"{table.QuotedColumns[i]} = " + kinds[i] switch
                {
                    Kind.Bit => $"CAST(@c{i} AS UNSIGNED)",
                    Kind.Json => $"CONVERT(@c{i} USING utf8mb4)",
                    _ => $"CONVERT(@c{i} USING ascii)",
                });
            }
            else
            {
                loadColumns.Add(table.QuotedColumns[i]);
            }
        }

        LoadColumns = loadColumns;
        LoadExpressions = expressions;
    }

    private enum Kind
    {
        Number,
        Temporal,
        Text,
        Binary,
        Bit,
        Json,
        Textual,
    }

    /// <summary>The SELECT list that reads every source column.</summary>
    public string SelectList { get; }

    /// <summary>LOAD DATA's field targets, in order: columns, or variables for the columns set by <see cref="LoadExpressions"/>.</summary>
    public IReadOnlyList<string> LoadColumns { get; }

    public IReadOnlyList<string> LoadExpressions { get; }

    /// <summary>One field as LOAD DATA reads it (tab-separated, backslash-escaped, \N for NULL).</summary>
    public void AppendLoadField(ByteBuffer data, ReadOnlySpan<byte> field, bool isNull, int column)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (isNull)
        {
            data.Append("\\N"u8);
        }
        else if (kinds[column] == Kind.Bit)
        {
            data.AppendAscii(BitValue(field).ToString(CultureInfo.InvariantCulture));
        }
        else
        {
            data.AppendEscaped(field);
        }
    }

    /// <summary>
    /// One field as a SQL literal that stores the same bytes; with <paramref name="forComparison"/> a character
    /// column's literal also takes the column's collation, so it compares as the column's key order does.
    /// </summary>
    public void AppendLiteral(StringBuilder sql, ReadOnlySpan<byte> field, bool isNull, int column, bool forComparison)
    {
        ArgumentNullException.ThrowIfNull(sql);
        if (isNull)
        {
            sql.Append("NULL");
            return;
        }

        switch (kinds[column])
        {
            case Kind.Number:
                sql.Append(Encoding.ASCII.GetString(field));
                break;
            case Kind.Temporal:
                sql.Append('\'').Append(Encoding.ASCII.GetString(field)).Append('\'');
                break;
            case Kind.Bit:
                sql.Append(BitValue(field).ToString(CultureInfo.InvariantCulture));
                break;
            case Kind.Text or Kind.Json or Kind.Textual:
                sql.Append("CONVERT(");
                AppendHex(sql, field);
                sql.Append(" USING ").Append(kinds[column] switch { Kind.Json => "utf8mb4", Kind.Textual => "ascii", _ => characterSets[column] }).Append(')');
                if (forComparison && collations[column] is { } collation)
                {
                    sql.Append(" COLLATE ").Append(collation);
                }

                break;
            default:
                AppendHex(sql, field);
                break;
        }
    }

    private static void AppendHex(StringBuilder sql, ReadOnlySpan<byte> bytes)
    {
        sql.Append("X'");
        SqlLiteral.AppendHex(sql, bytes);
        sql.Append('\'');
    }

    /// <summary>A BIT field's bytes (big-endian) as its number.</summary>
    private static ulong BitValue(ReadOnlySpan<byte> field)
    {
        Span<byte> padded = stackalloc byte[8];
        padded.Clear();
        field[^Math.Min(field.Length, 8)..].CopyTo(padded[(8 - Math.Min(field.Length, 8))..]);
        return BinaryPrimitives.ReadUInt64BigEndian(padded);
    }
}
