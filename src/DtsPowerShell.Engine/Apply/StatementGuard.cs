using System.Text.RegularExpressions;
using DtsPowerShell.Engine.Binlog.Events;
using DtsPowerShell.Engine.Selection;

namespace DtsPowerShell.Engine.Apply;

/// <summary>
/// Decides whether a statement in the binlog touches the selected objects. DDL is not applied yet: such a statement
/// stops the job, naming it, instead of leaving rows to be decoded with a structure that no longer holds.
/// </summary>
public static partial class StatementGuard
{
    /// <summary>Why the statement stops the job, or null when it does not concern the selection.</summary>
    public static string? Refusal(QueryEvent query, ObjectSelection selection)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(selection);
        var text = Comments().Replace(query.Query, " ").Trim();
        if (!ChangesObjects().IsMatch(text) || NotAboutTables().IsMatch(text))
        {
            return null;
        }

        var concerns = selection.ContainsDatabase(query.Database) && !Qualified().IsMatch(text)
            || selection.Databases.Any(db => Regex.IsMatch(text, $@"(^|[\s.,(`]){Regex.Escape(db)}(`?\s*\.|`|\s|;|$)", RegexOptions.IgnoreCase));
        return concerns
            ? $"The source ran a statement on the selected objects that this version cannot apply yet (DDL, or DML logged as a statement): {Shorten(query.Query)} (database '{query.Database}'). Make the same change on the target by hand, then create the job again, or wait for DDL sync."
            : null;
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";

    [GeneratedRegex(@"/\*.*?\*/|--[^\n]*|#[^\n]*", RegexOptions.Singleline)]
    private static partial Regex Comments();

    [GeneratedRegex(@"^(CREATE|ALTER|DROP|RENAME|TRUNCATE|INSERT|UPDATE|DELETE|REPLACE|LOAD)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ChangesObjects();

    [GeneratedRegex(@"^(CREATE|ALTER|DROP|RENAME)\s+(USER|ROLE|SERVER|TEMPORARY)\b|^DROP\s+TEMPORARY\b|^CREATE\s+(OR\s+REPLACE\s+)?(DEFINER\s*=\s*\S+\s+)?TEMPORARY\b", RegexOptions.IgnoreCase)]
    private static partial Regex NotAboutTables();

    // A statement naming db.table explicitly: then the default database says nothing about what it touches.
    [GeneratedRegex(@"^(\S+\s+){1,4}(IF\s+(NOT\s+)?EXISTS\s+)?`?[\w$]+`?\s*\.\s*`?[\w$]+", RegexOptions.IgnoreCase)]
    private static partial Regex Qualified();
}
