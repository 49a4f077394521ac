namespace DtsPowerShell.Engine.Schema;

/// <summary>One column of a source table as information_schema describes it.</summary>
/// <param name="Name">The column's name.</param>
/// <param name="DataType">The type's name in lower case (<c>int</c>, <c>varchar</c>, <c>enum</c>).</param>
/// <param name="ColumnType">The full type (<c>int(10) unsigned</c>, <c>enum('a','b')</c>).</param>
/// <param name="Collation">Null for columns without a character set (numbers, binary strings).</param>
/// <param name="Nullable">Whether it may hold NULL.</param>
/// <param name="Generated">A generated (virtual or stored) column: never written, the target computes it.</param>
public sealed record ColumnSchema(string Name, string DataType, string ColumnType, string? Collation, bool Nullable, bool Generated)
{
    public bool Unsigned => ColumnType.Contains("unsigned", StringComparison.OrdinalIgnoreCase);

    public bool IsFloat => DataType is "float";

    /// <summary>The labels of an ENUM or SET column, in order; empty for other types.</summary>
    public IReadOnlyList<string> Labels { get; } = ParseLabels(DataType, ColumnType);

    private static string[] ParseLabels(string dataType, string columnType)
    {
        if (dataType is not ("enum" or "set"))
        {
            return [];
        }

        var labels = new List<string>();
        var text = columnType.AsSpan(columnType.IndexOf('(', StringComparison.Ordinal) + 1);
        var current = new System.Text.StringBuilder();
        var inQuote = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (!inQuote)
            {
                inQuote = c == '\'';
                continue;
            }

            if (c == '\'' && i + 1 < text.Length && text[i + 1] == '\'')
            {
                current.Append('\'');
                i++;
            }
            else if (c == '\'')
            {
                labels.Add(current.ToString());
                current.Clear();
                inQuote = false;
            }
            else if (c == '\\' && i + 1 < text.Length)
            {
                current.Append(text[++i]);
            }
            else
            {
                current.Append(c);
            }
        }

        return [.. labels];
    }
}
