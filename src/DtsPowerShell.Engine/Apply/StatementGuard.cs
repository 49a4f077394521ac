using DtsPowerShell.Engine.Binlog.Events;
using DtsPowerShell.Engine.Ddl;
using DtsPowerShell.Engine.Selection;

namespace DtsPowerShell.Engine.Apply;

/// <summary>
/// Decides whether a statement in the binlog touches the selected objects, reading it with <see cref="DdlParser"/>
/// (comments, quoting, qualified and unqualified names against its default database). DDL is not applied yet: such a
/// statement stops the job, naming it, instead of leaving rows to be decoded with a structure that no longer holds.
/// </summary>
public static class StatementGuard
{
    private const ulong AnsiQuotes = 4;

    /// <summary>Why the statement stops the job, or null when it does not concern the selection.</summary>
    public static string? Refusal(QueryEvent query, ObjectSelection selection)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(selection);
        var statement = DdlParser.Parse(query.Query, query.Database, ansiQuotes: ((query.SqlMode ?? 0) & AnsiQuotes) != 0);
        if (statement.Kind == DdlKind.Other || statement.Temporary)
        {
            return null;
        }

        // A database statement touches a selected database; any other, an object in a whole selected database or a selected table.
        var touched = statement.Objects.FirstOrDefault(o => o.Name.Length == 0 ? selection.ContainsDatabase(o.Database) : selection.ContainsTable(o.Database, o.Name));
        return touched is null
            ? null
            : $"The source ran a statement on the selected objects ({touched.Database}{(touched.Name.Length == 0 ? "" : "." + touched.Name)}) that this version cannot apply yet (DDL, or DML logged as a statement): {Shorten(query.Query)}. Make the same change on the target by hand, then create the job again, or wait for DDL sync.";
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
