using System.Text;

namespace DtsPowerShell.Engine.Connections;

/// <summary>String literals for SQL sent to MySQL (identifiers: <c>QualifiedName.Quote</c>).</summary>
public static class SqlText
{
    /// <summary>A string literal for a session with backslash escapes on (no NO_BACKSLASH_ESCAPES in its sql_mode), as ours are.</summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = new StringBuilder(value.Length + 2);
        AppendQuoted(text, value);
        return text.ToString();
    }

    public static void AppendQuoted(StringBuilder text, string value)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(value);
        text.Append('\'');
        foreach (var c in value)
        {
            switch (c)
            {
                case '\'':
                    text.Append("''");
                    break;
                case '\\':
                    text.Append("\\\\");
                    break;
                case '\0':
                    text.Append("\\0");
                    break;
                default:
                    text.Append(c);
                    break;
            }
        }

        text.Append('\'');
    }
}
