using DtsPowerShell.Engine.Binlog.Events;
using DtsPowerShell.Engine.Connections;
using DtsPowerShell.Engine.Ddl;
using DtsPowerShell.Engine.Schema;
using DtsPowerShell.Engine.Selection;
using MySqlConnector;

namespace DtsPowerShell.Engine.Changes;

/// <summary>
/// The followed tables as of the event the reader is at, owned by the reader alone: rows are bound to it
/// (<see cref="SchemaOf"/>), and each statement moves it on in stream order (<see cref="ReadAsync"/>), before the next
/// event is decoded. The statement's change carries what it did to the tables, so the consumer, however far behind,
/// applies and saves exactly that; nothing is shared between the two sides.
/// </summary>
/// <param name="tables">The tables at the stream's start (a copy of its own is kept).</param>
/// <param name="scratch">Where a table statement is run to see what it does.</param>
/// <param name="target">The target: a new table without a collation of its own takes its database's there.</param>
/// <param name="selection">What the job follows.</param>
/// <param name="mapping">The job's target names.</param>
public sealed class SchemaTimeline(IEnumerable<TrackedTable> tables, ScratchDatabase scratch, MySqlConnection target, ObjectSelection selection, NameMapping mapping)
{
    private readonly SchemaTracker tracker = new(tables);

    // The default collations of databases created by statements read (the target may not have them yet), by source name.
    private readonly Dictionary<string, string?> createdDatabases = new(StringComparer.Ordinal);

    /// <summary>A followed table's schema as of the reader's position, or null.</summary>
    public TableSchema? SchemaOf(string database, string table) => tracker.Find(database, table)?.Schema;

    /// <summary>Reads a statement once: parsed, decided by the rules, and for one that runs on a followed table, its effect on the tables, which the timeline takes at once.</summary>
    public async Task<StatementChange> ReadAsync(QueryEvent query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var ansiQuotes = ((query.SqlMode ?? 0) & SqlModes.AnsiQuotes) != 0;
        var statement = DdlParser.Parse(query.Query, query.Database, ansiQuotes);
        // MySQL 8.0.21+ logs CREATE TABLE … SELECT with START TRANSACTION; run anywhere else it would hold a transaction open.
        var sql = statement.Kind == DdlKind.CreateTable ? DdlRewriter.WithoutStartTransaction(query.Query, ansiQuotes) : query.Query;
        var decision = DdlRules.Decide(statement, sql, query.Database, selection, mapping, ansiQuotes);
        IReadOnlyDictionary<(string Database, string Table), TrackedTable?> changes = NoChanges;
        if (statement.Kind == DdlKind.CreateDatabase && decision.TargetStatement is not null && statement.Objects.Count > 0)
        {
            createdDatabases[statement.Objects[0].Database] = await scratch.CreatedDatabaseCollationAsync(decision.TargetStatement, DdlParser.Parse(decision.TargetStatement, "", ansiQuotes), query.SqlMode ?? 0, cancellationToken).ConfigureAwait(false);
        }
        else if (decision.Outcome != DdlOutcome.Ignored && decision.TargetStatement is not null)
        {
            var collation = statement.Kind == DdlKind.CreateTable ? await DatabaseCollationAsync(statement.Objects[0].Database, cancellationToken).ConfigureAwait(false) : null;
            changes = await tracker.ChangesAsync(statement, sql, query.SqlMode ?? 0, collation, scratch, selection.FollowsTable, cancellationToken).ConfigureAwait(false);
            tracker.Apply(changes);
        }

        return new StatementChange(query, statement, sql, decision, changes);
    }

    private static readonly Dictionary<(string, string), TrackedTable?> NoChanges = [];

    /// <summary>
    /// The default collation of the target's database for a source database: new tables without their own take it. A
    /// database created by a statement read is taken as that statement makes it, which the target may not show yet.
    /// </summary>
    private async Task<string?> DatabaseCollationAsync(string sourceDatabase, CancellationToken cancellationToken) =>
        createdDatabases.TryGetValue(sourceDatabase, out var created) && created is not null ? created : await target.ScalarAsync("SELECT DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = @db", cancellationToken,
            ("@db", mapping.TargetDatabase(sourceDatabase))).ConfigureAwait(false) as string;
}
