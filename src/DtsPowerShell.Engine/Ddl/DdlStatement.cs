namespace DtsPowerShell.Engine.Ddl;

/// <summary>What a statement does to the schema, as far as the sync cares.</summary>
public enum DdlKind
{
    /// <summary>Not a schema change the sync follows (grants, users, maintenance, transaction control…).</summary>
    Other,

    /// <summary>INSERT, UPDATE, DELETE, REPLACE or LOAD DATA written as a statement.</summary>
    Dml,
    CreateDatabase,
    AlterDatabase,
    DropDatabase,
    CreateTable,
    AlterTable,
    DropTable,
    RenameTable,
    TruncateTable,
    CreateIndex,
    DropIndex,
    CreateView,
    AlterView,
    DropView,
    CreateProcedure,
    AlterProcedure,
    DropProcedure,
    CreateFunction,
    AlterFunction,
    DropFunction,
    CreateTrigger,
    DropTrigger,
    CreateEvent,
    AlterEvent,
    DropEvent,
}

/// <summary>
/// A database object a statement names, its database resolved against the statement's default database.
/// <see cref="Start"/> and <see cref="Length"/> say where the name stands in the statement (qualifier included), so it
/// can be replaced; they take no part in equality.
/// </summary>
public sealed record SqlObjectName(string Database, string Name)
{
    public int Start { get; init; }

    /// <summary>Zero when the statement does not write the name (a database statement on the default database).</summary>
    public int Length { get; init; }

    public bool Equals(SqlObjectName? other) => other is not null && Database == other.Database && Name == other.Name;

    public override int GetHashCode() => HashCode.Combine(Database, Name);

    public override string ToString() => $"{Database}.{Name}";
}

/// <summary>
/// A classified statement: its kind, and the objects it acts on. Tables for table statements (RENAME TABLE: from and
/// to, in pairs; ALTER TABLE … RENAME TO: the table, then its new name; CREATE/DROP INDEX and CREATE TRIGGER: the table they are on; CREATE TABLE … LIKE: the new table, then
/// the one copied); the database itself (Name empty) for database statements; the routine, view, trigger or event for theirs.
/// </summary>
public sealed record DdlStatement(DdlKind Kind, IReadOnlyList<SqlObjectName> Objects, bool Temporary = false)
{
    public static DdlStatement NotDdl { get; } = new(DdlKind.Other, []);
}
