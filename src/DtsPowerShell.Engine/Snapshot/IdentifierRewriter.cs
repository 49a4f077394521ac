using System.Text;
using DtsPowerShell.Engine.Selection;

namespace DtsPowerShell.Engine.Snapshot;

/// <summary>
/// Renames back-quoted identifiers in a statement the server printed (SHOW CREATE …), leaving string literals and
/// comments alone. <c>`a`.`b`</c> pairs are offered whole first (a database and an object in it), then each part alone.
/// </summary>
public static class IdentifierRewriter
{
    public static string Rewrite(string sql, Func<string, string, (string, string)?> qualified, Func<string, string?> single)
    {
        ArgumentNullException.ThrowIfNull(sql);
        ArgumentNullException.ThrowIfNull(qualified);
        ArgumentNullException.ThrowIfNull(single);
        var output = new StringBuilder(sql.Length + 16);
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (c is '\'' or '"')
            {
                var end = EndOfQuoted(sql, i, c);
                output.Append(sql, i, end - i);
                i = end;
            }
            else if (c == '`')
            {
                var (name, end) = ReadIdentifier(sql, i);
                if (end + 1 < sql.Length && sql[end] == '.' && sql[end + 1] == '`')
                {
                    var (second, secondEnd) = ReadIdentifier(sql, end + 1);
                    if (qualified(name, second) is { } pair)
                    {
                        output.Append(QualifiedName.Quote(pair.Item1)).Append('.').Append(QualifiedName.Quote(pair.Item2));
                        i = secondEnd;
                        continue;
                    }
                }

                output.Append(QualifiedName.Quote(single(name) ?? name));
                i = end;
            }
            else if (c == '/' && i + 1 < sql.Length && sql[i + 1] == '*')
            {
                var close = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                var end = close < 0 ? sql.Length : close + 2;
                output.Append(sql, i, end - i);
                i = end;
            }
            else
            {
                output.Append(c);
                i++;
            }
        }

        return output.ToString();
    }

    private static (string Name, int End) ReadIdentifier(string sql, int start)
    {
        var name = new StringBuilder();
        var i = start + 1;
        while (i < sql.Length)
        {
            if (sql[i] == '`')
            {
                if (i + 1 < sql.Length && sql[i + 1] == '`')
                {
                    name.Append('`');
                    i += 2;
                    continue;
                }

                return (name.ToString(), i + 1);
            }

            name.Append(sql[i++]);
        }

        return (name.ToString(), sql.Length);
    }

    private static int EndOfQuoted(string sql, int start, char quote)
    {
        var i = start + 1;
        while (i < sql.Length)
        {
            if (sql[i] == '\\')
            {
                i += 2;
            }
            else if (sql[i] == quote && i + 1 < sql.Length && sql[i + 1] == quote)
            {
                i += 2;
            }
            else if (sql[i] == quote)
            {
                return i + 1;
            }
            else
            {
                i++;
            }
        }

        return sql.Length;
    }
}
