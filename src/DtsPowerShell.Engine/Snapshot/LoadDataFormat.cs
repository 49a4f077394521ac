using System.Text;
using DtsPowerShell.Engine.Apply;

namespace DtsPowerShell.Engine.Snapshot;

/// <summary>
/// Rows as the text LOAD DATA reads (tab-separated, backslash escapes, \N for NULL, UTF-8), with the column list
/// and SET expressions that turn each field into its column's value: binary columns travel as hex (UNHEX), BIT as
/// a number (CAST … AS UNSIGNED), everything else as the server prints it.
/// </summary>
public sealed class LoadDataFormat
{
    private static readonly HashSet<string> BinaryTypes =
        ["binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob", "geometry", "point", "linestring", "polygon", "multipoint", "multilinestring", "multipolygon", "geometrycollection"];

    private readonly bool[] hex;

    public LoadDataFormat(TargetTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var columns = new List<string>();
        var expressions = new List<string>();
        hex = new bool[table.Source.Columns.Count];
        foreach (var i in table.WrittenColumns)
        {
            var column = table.Source.Columns[i];
            hex[i] = BinaryTypes.Contains(column.DataType) || (column.Collation is null && column.DataType is "char" or "varchar" or "tinytext" or "text" or "mediumtext" or "longtext");
            if (hex[i] || column.DataType == "bit")
            {
                var variable = $"@c{i}";
                columns.Add(variable);
                expressions.Add($"{table.QuotedColumns[i]} = {(hex[i] ? $"UNHEX({variable})" : $"CAST({variable} AS UNSIGNED)")}");
            }
            else
            {
                columns.Add(table.QuotedColumns[i]);
            }
        }

        Columns = columns;
        Expressions = expressions;
        Written = table.WrittenColumns;
    }

    /// <summary>The fields' targets, in order: column names, or variables for the columns set by an expression.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>The SET expressions of the variables.</summary>
    public IReadOnlyList<string> Expressions { get; }

    private IReadOnlyList<int> Written { get; }

    /// <summary>Appends one row (the written columns of <paramref name="row"/>) as a line.</summary>
    public void AppendRow(StringBuilder text, object?[] row)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(row);
        for (var w = 0; w < Written.Count; w++)
        {
            if (w > 0)
            {
                text.Append('\t');
            }

            var i = Written[w];
            switch (row[i])
            {
                case null or DBNull:
                    text.Append("\\N");
                    break;
                case byte[] bytes:
                    SqlLiteral.AppendHex(text, bytes);
                    break;
                case string value when hex[i]:
                    SqlLiteral.AppendHex(text, Encoding.UTF8.GetBytes(value));
                    break;
                case string value:
                    AppendEscaped(text, value);
                    break;
                case Guid guid:
                    text.Append(guid.ToString());
                    break;
                case var value:
                    SqlLiteral.AppendBare(text, value);
                    break;
            }
        }

        text.Append('\n');
    }

    private static void AppendEscaped(StringBuilder text, string value)
    {
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\':
                    text.Append("\\\\");
                    break;
                case '\t':
                    text.Append("\\t");
                    break;
                case '\n':
                    text.Append("\\n");
                    break;
                case '\r':
                    text.Append("\\r");
                    break;
                case '\0':
                    text.Append("\\0");
                    break;
                default:
                    text.Append(c);
                    break;
            }
        }
    }
}
