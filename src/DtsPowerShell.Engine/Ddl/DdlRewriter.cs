using System.Text;
using System.Text.RegularExpressions;
using DtsPowerShell.Engine.Selection;

namespace DtsPowerShell.Engine.Ddl;

/// <summary>
/// Writes a statement again with other names: the objects <see cref="DdlParser"/> found (each replaced where it stands,
/// fully qualified and back-quoted), and column names of one table. Everything else, comments and literals included,
/// stays byte for byte.
/// </summary>
public static partial class DdlRewriter
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

    // Words that are types or clause keywords where they stand unquoted in a column definition; a column so named is
    // renamed only where it is quoted (a statement that names it bare is then refused by the target, never mistaken).
    private static readonly HashSet<string> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "bit", "tinyint", "smallint", "mediumint", "int", "integer", "bigint", "float", "double", "real", "decimal", "dec", "numeric", "fixed", "bool", "boolean",
        "date", "time", "datetime", "timestamp", "year", "char", "varchar", "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob", "tinytext",
        "text", "mediumtext", "longtext", "enum", "set", "json", "geometry", "point", "linestring", "polygon", "inet4", "inet6", "uuid", "serial", "national",
        "unsigned", "signed", "zerofill", "character", "charset", "collate", "null", "not", "default", "comment", "key", "index", "primary", "unique",
        "first", "after", "column", "add", "drop", "modify", "change", "alter", "rename", "to", "as", "on", "using", "btree", "hash", "visible", "invisible",
        "invalid", "check", "constraint", "foreign", "references", "generated", "always", "virtual", "stored", "persistent", "auto_increment", "storage",
        "disk", "memory", "format", "algorithm", "lock", "online", "instant", "inplace", "copy", "none", "shared", "exclusive", "force", "engine", "row_format",
    };

    /// <summary>
    /// The statement with every identifier that <paramref name="rename"/> maps replaced (back-quoted), except the
    /// object names <paramref name="statement"/> holds and unquoted keywords: column names in an ALTER TABLE or CREATE INDEX.
    /// </summary>
    public static string RenameColumns(string sql, DdlStatement statement, Func<string, string?> rename, bool ansiQuotes = false)
    {
        ArgumentNullException.ThrowIfNull(sql);
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentNullException.ThrowIfNull(rename);
        var replacements = new List<(int Start, int Length, string Text)>();
        foreach (var token in SqlLexer.Tokenize(sql, ansiQuotes))
        {
            if (token.IsName && !(token.Kind == SqlTokenKind.Word && Keywords.Contains(token.Value)) && !InObjectName(statement, token) && rename(token.Value) is { } renamed)
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
    /// A statement the server printed (SHOW CREATE …) with its back-quoted names renamed: a pair <c>`a`.`b`</c> is offered
    /// to <paramref name="qualified"/> whole first (a database and an object in it), then each name alone to
    /// <paramref name="single"/> (null: left as written). Literals, comments and unquoted words stay as they are.
    /// </summary>
    public static string RenameQuotedNames(string sql, Func<string, string, (string Database, string Name)?> qualified, Func<string, string?> single)
    {
        ArgumentNullException.ThrowIfNull(sql);
        ArgumentNullException.ThrowIfNull(qualified);
        ArgumentNullException.ThrowIfNull(single);
        var tokens = SqlLexer.Tokenize(sql);
        var replacements = new List<(int Start, int Length, string Text)>();
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.Kind != SqlTokenKind.QuotedIdentifier)
            {
                continue;
            }

            if (i + 2 < tokens.Count && tokens[i + 1].IsSymbol('.') && tokens[i + 1].Start == token.Start + token.Length
                && tokens[i + 2] is { Kind: SqlTokenKind.QuotedIdentifier } second && second.Start == tokens[i + 1].Start + 1
                && qualified(token.Value, second.Value) is { } pair)
            {
                replacements.Add((token.Start, second.Start + second.Length - token.Start, QualifiedName.Quote(pair.Database) + "." + QualifiedName.Quote(pair.Name)));
                i += 2;
            }
            else if (single(token.Value) is { } renamed)
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

    /// <summary>
    /// A CREATE TABLE without the <c>START TRANSACTION</c> clause MySQL 8.0.21+ logs for CREATE TABLE … SELECT (only a
    /// replica's applier may run it: elsewhere it leaves a transaction open that accepts nothing but COMMIT).
    /// </summary>
    public static string WithoutStartTransaction(string sql, bool ansiQuotes = false)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var tokens = SqlLexer.Tokenize(sql, ansiQuotes);
        return tokens.Count > 2 && tokens[^2].Is("START") && tokens[^1].Is("TRANSACTION") ? sql[..tokens[^2].Start].TrimEnd() : sql;
    }

    /// <summary>The statement's <c>DEFINER = user</c> clause (<c>user@host</c> in any quoting, or CURRENT_USER), or null.</summary>
    public static string? DefinerClause(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var match = Definer().Match(sql);
        return match.Success ? match.Value.Trim() : null;
    }

    /// <summary>The statement without its DEFINER clause: the object then belongs to the account that creates it.</summary>
    public static string WithoutDefiner(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        return Definer().Replace(sql, "", 1);
    }

    [GeneratedRegex(@"DEFINER\s*=\s*(`(?:[^`]|``)*`|'[^']*'|[^\s@]+)(@(`(?:[^`]|``)*`|'[^']*'|\S+))?\s+", RegexOptions.IgnoreCase)]
    private static partial Regex Definer();

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
