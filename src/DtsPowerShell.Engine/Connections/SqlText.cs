using System.Text;

namespace DtsPowerShell.Engine.Connections;

/// <summary>SQL text: string literals for SQL sent to MySQL (identifiers: <c>QualifiedName.Quote</c>), and statements quoted in messages.</summary>
public static class SqlText
{
    /// <summary>A statement as a message quotes it: its first 300 characters.</summary>
    public static string Excerpt(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        return sql.Length <= 300 ? sql : sql[..300] + "…";
    }

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
