using System.Text;
using DtsPowerShell.Engine.Selection;

namespace DtsPowerShell.Engine.Ddl;

/// <summary>
/// Writes a statement again with other names: the objects <see cref="DdlParser"/> found (each replaced where it stands,
/// fully qualified and back-quoted), and column names of one table. Everything else, comments and literals included,
/// stays byte for byte.
/// </summary>
public static class DdlRewriter
{
    /// <summary>
    /// The statement with each object <paramref name="rename"/> maps (null: left as written) replaced by its new name,
    /// written as <c>`db`.`name`</c> (a database as <c>`db`</c>).
    /// </summary>
    public static string RenameObjects(string sql, DdlStatement statement, Func<SqlObjectName, SqlObjectName?> rename)
    {
        ArgumentNullException.ThrowIfNull(sql);
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentNullException.ThrowIfNull(rename);
        var replacements = new List<(int Start, int Length, string Text)>();
        foreach (var name in statement.Objects.Where(o => o.Length > 0).DistinctBy(o => o.Start))
        {
            if (rename(name) is { } renamed)
            {
                var text = renamed.Name.Length == 0
                    ? QualifiedName.Quote(renamed.Database)
                    : QualifiedName.Quote(renamed.Database) + "." + QualifiedName.Quote(renamed.Name);
                replacements.Add((name.Start, name.Length, text));
            }
        }

        return Replace(sql, replacements);
    }

    /// <summary>
    /// The statement with every identifier that <paramref name="rename"/> maps replaced (back-quoted), except the
    /// object names <paramref name="statement"/> holds: column names in an ALTER TABLE or CREATE INDEX.
    /// </summary>
    public static string RenameColumns(string sql, DdlStatement statement, Func<string, string?> rename, bool ansiQuotes = false)
    {
        ArgumentNullException.ThrowIfNull(sql);
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentNullException.ThrowIfNull(rename);
        var replacements = new List<(int Start, int Length, string Text)>();
        foreach (var token in SqlLexer.Tokenize(sql, ansiQuotes))
        {
            if (token.IsName && !InObjectName(statement, token) && rename(token.Value) is { } renamed)
            {
                replacements.Add((token.Start, token.Length, QualifiedName.Quote(renamed)));
            }
        }

        return Replace(sql, replacements);
    }

    /// <summary>The statement with each database qualifier (<c>db.</c> before a name) that <paramref name="rename"/> maps replaced, except in the object names <paramref name="statement"/> holds.</summary>
    public static string RenameQualifiers(string sql, DdlStatement statement, Func<string, string?> rename, bool ansiQuotes = false)
    {
        ArgumentNullException.ThrowIfNull(sql);
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentNullException.ThrowIfNull(rename);
        var tokens = SqlLexer.Tokenize(sql, ansiQuotes);
        var replacements = new List<(int Start, int Length, string Text)>();
        for (var i = 0; i + 2 < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.IsName && tokens[i + 1].IsSymbol('.') && tokens[i + 2].IsName && !InObjectName(statement, token) && rename(token.Value) is { } renamed)
            {
                replacements.Add((token.Start, token.Length, QualifiedName.Quote(renamed)));
            }
        }

        return Replace(sql, replacements);
    }

    /// <summary>
    /// A CREATE TRIGGER whose body does nothing in a session that set <c>@dts_applying</c> (the sync's own), so a
    /// target trigger never fires for a change the sync applies; null when the statement has no FOR EACH ROW body.
    /// </summary>
    public static string? GuardTriggerBody(string sql, bool ansiQuotes = false)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var tokens = SqlLexer.Tokenize(sql, ansiQuotes);
        for (var i = 0; i + 3 < tokens.Count; i++)
        {
            if (tokens[i].Is("FOR") && tokens[i + 1].Is("EACH") && tokens[i + 2].Is("ROW"))
            {
                var body = i + 3;
                if (tokens[body].Is("FOLLOWS") || tokens[body].Is("PRECEDES"))
                {
                    body += 2;
                }

                if (body >= tokens.Count)
                {
                    return null;
                }

                var start = tokens[body].Start;
                return sql[..start] + "IF @dts_applying IS NULL THEN " + sql[start..].TrimEnd().TrimEnd(';') + "; END IF";
            }
        }

        return null;
    }

    private static bool InObjectName(DdlStatement statement, SqlToken token) =>
        statement.Objects.Any(o => o.Length > 0 && token.Start >= o.Start && token.Start < o.Start + o.Length);

    private static string Replace(string sql, List<(int Start, int Length, string Text)> replacements)
    {
        if (replacements.Count == 0)
        {
            return sql;
        }

        var output = new StringBuilder(sql.Length + (replacements.Count * 16));
        var at = 0;
        foreach (var (start, length, text) in replacements.OrderBy(r => r.Start))
        {
            output.Append(sql, at, start - at).Append(text);
            at = start + length;
        }

        return output.Append(sql, at, sql.Length - at).ToString();
    }
}
