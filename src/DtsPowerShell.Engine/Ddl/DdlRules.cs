using DtsPowerShell.Engine.Connections;
using DtsPowerShell.Engine.Selection;

namespace DtsPowerShell.Engine.Ddl;

/// <summary>
/// The specification's rules for DDL, as a pure function of the statement, the selection and the name mapping. A whole
/// selected database gets every listed statement on its objects; selected tables get only their DROP TABLE, ALTER
/// TABLE, TRUNCATE TABLE, RENAME TABLE, CREATE INDEX and DROP INDEX; beyond the specification, also their CREATE TABLE
/// (a selected table dropped and created again keeps syncing), and the shadow tables of online schema change tools
/// beside them (<see cref="ShadowTables"/>) every table statement. What is applied is written with the target's
/// names; what cannot be written faithfully is refused.
/// </summary>
public static class DdlRules
{
    private static readonly HashSet<DdlKind> WithBody = [DdlKind.CreateView, DdlKind.AlterView, DdlKind.CreateProcedure, DdlKind.AlterProcedure, DdlKind.CreateFunction,
        DdlKind.AlterFunction, DdlKind.CreateTrigger, DdlKind.CreateEvent];

    private static readonly HashSet<DdlKind> NotListed = [DdlKind.AlterDatabase, DdlKind.DropDatabase, DdlKind.AlterEvent];

    public static DdlDecision Decide(DdlStatement statement, string sql, string defaultDatabase, ObjectSelection selection, NameMapping mapping, bool ansiQuotes)
    {
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentNullException.ThrowIfNull(selection);
        ArgumentNullException.ThrowIfNull(mapping);
        if (statement.Temporary)
        {
            return DdlDecision.Ignored;
        }

        var first = statement.Objects.FirstOrDefault();
        switch (statement.Kind)
        {
            case DdlKind.Other:
                return new DdlDecision(DdlOutcome.Skipped, Note: "Not a statement the sync applies.");
            case DdlKind.Dml:
                return first is not null && selection.ContainsTable(first.Database, first.Name)
                    ? new DdlDecision(DdlOutcome.Refused, Note: $"The source logged a change to {first} as a statement ({SqlText.Excerpt(sql)}), which the sync cannot apply exactly. Set binlog_format=ROW on the source, then Start-DtsSync -Resync -Table {first} copies the table again.")
                    : DdlDecision.Ignored;
            case DdlKind.CreateDatabase or DdlKind.AlterDatabase or DdlKind.DropDatabase:
                return !selection.ContainsDatabase(first!.Database) ? DdlDecision.Ignored
                    : statement.Kind == DdlKind.CreateDatabase && selection.IsWholeDatabase(first.Database) ? Apply(Rename(sql, statement, mapping))
                    : Skip($"{Verb(statement.Kind)} is not among the statements the sync applies.");
            case DdlKind.RenameTable:
                return Renames(statement, selection, mapping);
            case DdlKind.CreateTable or DdlKind.DropTable or DdlKind.AlterTable or DdlKind.TruncateTable or DdlKind.CreateIndex or DdlKind.DropIndex:
                return Tables(statement, sql, selection, mapping, ansiQuotes);
            default:
                return Routines(statement, sql, defaultDatabase, selection, mapping, ansiQuotes);
        }
    }

    private static DdlDecision Tables(DdlStatement statement, string sql, ObjectSelection selection, NameMapping mapping, bool ansiQuotes)
    {
        var table = statement.Objects[0];
        var selected = statement.Objects.Where(o => selection.FollowsTable(o.Database, o.Name)).ToList();
        // A CREATE TABLE is ours when the new table is: in a whole selected database, selected by name (created again
        // after a DROP; its rows would otherwise be lost), or an online schema change tool's copy of a selected table.
        if (selected.Count == 0 || (statement.Kind == DdlKind.CreateTable && !selection.FollowsTable(table.Database, table.Name)))
        {
            return DdlDecision.Ignored;
        }

        if (statement.Kind == DdlKind.AlterTable && statement.Objects.Count == 2 && Moves(table, statement.Objects[1], selection) is { } moved)
        {
            return moved.Outcome == DdlOutcome.Refused ? moved : new DdlDecision(DdlOutcome.Warned, AlterTable(statement, sql, table, mapping, ansiQuotes), moved.Note);
        }

        switch (statement.Kind)
        {
            case DdlKind.CreateTable when statement.Objects.Count > 1 && !selection.FollowsTable(statement.Objects[1].Database, statement.Objects[1].Name):
                return Refuse($"CREATE TABLE {table} copies {statement.Objects[1]}, which the job does not sync, so the target lacks it: {SqlText.Excerpt(sql)}. Select {statement.Objects[1]} as well, or Start-DtsSync -Resync copies the job's tables again, {table} included, from a new snapshot.");
            case DdlKind.DropTable when selected.Count < statement.Objects.Count:
                return Apply("DROP TABLE IF EXISTS " + string.Join(", ", selected.Select(o => TargetName(o, mapping))));
            default:
                return Apply(AlterTable(statement, sql, table, mapping, ansiQuotes));
        }
    }

    /// <summary>The statement under the target's names: objects, and the table's mapped columns.</summary>
    private static string AlterTable(DdlStatement statement, string sql, SqlObjectName table, NameMapping mapping, bool ansiQuotes)
    {
        if (statement.Kind is not (DdlKind.AlterTable or DdlKind.CreateIndex or DdlKind.CreateTable) || !mapping.RenamesColumnsOf(table.Database, table.Name))
        {
            return Rename(sql, statement, mapping);
        }

        var renamed = DdlRewriter.RenameColumns(sql, statement, c => mapping.TargetColumn(table.Database, table.Name, c) is var m && m != c ? m : null, ansiQuotes);
        return Rename(renamed, DdlParser.Parse(renamed, table.Database, ansiQuotes), mapping, statement);
    }

    /// <summary>Refused when a table comes into the selection from outside (the target has none of its rows); a warning when one leaves it; null when neither.</summary>
    private static DdlDecision? Moves(SqlObjectName from, SqlObjectName to, ObjectSelection selection)
    {
        var (fromFollowed, toFollowed) = (selection.FollowsTable(from.Database, from.Name), selection.FollowsTable(to.Database, to.Name));
        return (fromFollowed, toFollowed) switch
        {
            (false, true) => Refuse($"{from}, which the job does not sync, was renamed to {to}, which it does: the target has none of its rows. Start-DtsSync -Resync copies the job's tables again, {to} included, from a new snapshot."),
            (true, false) => new DdlDecision(DdlOutcome.Warned, Note: $"{from} was renamed to {to}, outside the selection: the target's table is renamed too, and no longer synced."),
            _ => null,
        };
    }

    private static DdlDecision Renames(DdlStatement statement, ObjectSelection selection, NameMapping mapping)
    {
        // Pairs in order, following where each table goes (RENAME a TO tmp, b TO a, tmp TO b swaps a and b): a pair is
        // run on the target when the table it moves is one the job follows; where tables end decides the rest.
        var origins = new Dictionary<SqlObjectName, SqlObjectName?>();
        var pairs = new List<string>();
        for (var i = 0; i + 1 < statement.Objects.Count; i += 2)
        {
            var (from, to) = (statement.Objects[i], statement.Objects[i + 1]);
            var origin = origins.TryGetValue(from, out var moved) ? moved : from;
            origins[from] = null;
            origins[to] = origin;
            if (origin is not null && selection.FollowsTable(origin.Database, origin.Name))
            {
                pairs.Add($"{TargetName(from, mapping)} TO {TargetName(to, mapping)}");
            }
        }

        var warnings = new List<string>();
        foreach (var (end, origin) in origins)
        {
            if (origin is not null && Moves(origin, end, selection) is { } moved)
            {
                if (moved.Outcome == DdlOutcome.Refused)
                {
                    return moved;
                }

                warnings.Add(moved.Note!);
            }
        }

        return pairs.Count == 0 ? DdlDecision.Ignored
            : new DdlDecision(warnings.Count == 0 ? DdlOutcome.Applied : DdlOutcome.Warned, "RENAME TABLE " + string.Join(", ", pairs), warnings.Count == 0 ? null : string.Join(" ", warnings));
    }

    private static DdlDecision Routines(DdlStatement statement, string sql, string defaultDatabase, ObjectSelection selection, NameMapping mapping, bool ansiQuotes)
    {
        var database = statement.Objects[0].Database;
        if (!selection.ContainsDatabase(database))
        {
            return DdlDecision.Ignored;
        }

        if (!selection.IsWholeDatabase(database))
        {
            return Skip($"{Verb(statement.Kind)} is applied only in whole selected databases; {database} is selected table by table.");
        }

        if (NotListed.Contains(statement.Kind))
        {
            return Skip($"{Verb(statement.Kind)} is not among the statements the sync applies.");
        }

        var text = sql;
        if (WithBody.Contains(statement.Kind))
        {
            if (mapping.RenamesWithin(database))
            {
                return Refuse($"{Verb(statement.Kind)} {statement.Objects[^1]} has a body that may name tables or columns the job renames on the target, which the sync does not rewrite inside bodies: {SqlText.Excerpt(sql)}. Create it on the target by hand under the target's names, then Start-DtsSync -Resync copies the job's tables again from a new snapshot.");
            }

            text = DdlRewriter.RenameQualifiers(sql, statement, db => selection.ContainsDatabase(db) && mapping.TargetDatabase(db) is var m && m != db ? m : null, ansiQuotes);
        }

        text = Rename(text, text == sql ? statement : DdlParser.Parse(text, defaultDatabase, ansiQuotes), mapping);
        if (statement.Kind == DdlKind.CreateTrigger)
        {
            text = DdlRewriter.GuardTriggerBody(text, ansiQuotes) ?? text;
        }

        return Apply(text);
    }

    /// <summary>The statement with every object it names written as the target's name, fully qualified.</summary>
    private static string Rename(string sql, DdlStatement statement, NameMapping mapping, DdlStatement? original = null)
    {
        // A statement read again after other rewriting has its names where they now stand; the original says what they were.
        var sources = new Dictionary<int, SqlObjectName>();
        foreach (var (now, was) in statement.Objects.Zip((original ?? statement).Objects))
        {
            sources.TryAdd(now.Start, was);
        }

        return DdlRewriter.RenameObjects(sql, statement, o =>
        {
            var source = sources[o.Start];
            return source.Name.Length == 0
                ? new SqlObjectName(mapping.TargetDatabase(source.Database), "")
                : TargetObject(source, mapping);
        });
    }

    private static SqlObjectName TargetObject(SqlObjectName name, NameMapping mapping)
    {
        var (database, table) = mapping.TargetTable(name.Database, name.Name);
        return new SqlObjectName(database, table);
    }

    private static string TargetName(SqlObjectName name, NameMapping mapping)
    {
        var target = TargetObject(name, mapping);
        return QualifiedName.Quote(target.Database) + "." + QualifiedName.Quote(target.Name);
    }

    private static DdlDecision Apply(string statement) => new(DdlOutcome.Applied, statement);

    private static DdlDecision Skip(string note) => new(DdlOutcome.Skipped, Note: note);

    private static DdlDecision Refuse(string note) => new(DdlOutcome.Refused, Note: note);

    /// <summary>The statement's words: AlterTable as ALTER TABLE.</summary>
    private static string Verb(DdlKind kind) => System.Text.RegularExpressions.Regex.Replace(kind.ToString(), "(?<=[a-z])(?=[A-Z])", " ").ToUpperInvariant();
}
