using System.Text;
using DtsPowerShell.Engine.Binlog;
using DtsPowerShell.Engine.Binlog.Events;
using DtsPowerShell.Engine.Changes;
using DtsPowerShell.Engine.Connections;
using DtsPowerShell.Engine.Ddl;
using DtsPowerShell.Engine.Schema;
using DtsPowerShell.Engine.Selection;
using Microsoft.Extensions.Logging;
using MySqlConnector;

namespace DtsPowerShell.Engine.Apply;

/// <summary>
/// Applies the source's statements as a barrier. <see cref="Prepare"/> takes the rules' decision the reader made
/// (<see cref="DdlRules"/>) and refuses what they refuse; for a statement that runs on the target, the caller commits
/// the rows before it, then <see cref="ApplyAsync"/> runs it on the target once (marked as pending first: after a
/// crash, the look of the objects it names, or for RENAME TABLE a marker table renamed with them, tells whether it
/// ran), and moves the applied schema and the target tables on by what the reader's <see cref="SchemaTimeline"/> found
/// it did. At the end of its transaction, <see cref="SaveAsync"/> saves the tracked schema and the history in the
/// transaction of the checkpoint past it, and clears the mark.
/// </summary>
public sealed class DdlApplier(
    MySqlConnection target,
    string jobId,
    SchemaTracker tracker,
    SchemaStore store,
    DdlJournal journal,
    NameMapping mapping,
    IDictionary<(string Database, string Table), TargetTable> targets,
    ILogger log)
{
    /// <summary>The key under which a target error's <see cref="Exception.Data"/> holds the DDL statement the target refused.</summary>
    public const string StatementKey = "DtsStatement";

    private const int AccessDenied = 1227;
    private readonly bool mariaDb = ServerVersion.Parse(target.ServerVersion).IsMariaDb;
    private readonly List<Handled> handled = [];
    private readonly string renameMarker = QualifiedName.Quote(DtsObjects.Database) + "." + QualifiedName.Quote(DtsObjects.RenameMarkerTable(jobId, renamed: false));
    private readonly string renamedMarker = QualifiedName.Quote(DtsObjects.Database) + "." + QualifiedName.Quote(DtsObjects.RenameMarkerTable(jobId, renamed: true));

    /// <summary>
    /// Takes a statement that begins at <paramref name="at"/>: null when it does not concern the job; throws
    /// <see cref="SyncStoppedException"/> for one the rules refuse (the initial copies' own are left out before). With <paramref name="skipBecause"/>, it is not
    /// run on the target (the other half of a two-way pair ran it there, the initial copies hold it, or the job leaves DDL out).
    /// </summary>
    public PreparedStatement? Prepare(StatementChange change, BinlogPosition at, string? skipBecause)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(at);
        return change.Decision.Outcome switch
        {
            DdlOutcome.Ignored => null,
            DdlOutcome.Refused => throw new SyncStoppedException($"The source's binlog at {at} holds a statement the sync cannot apply. {change.Decision.Note}"),
            _ => new PreparedStatement(change, at, skipBecause),
        };
    }

    /// <summary>
    /// Applies a prepared statement: runs it on the target once, and moves the applied schema and the target tables on
    /// by what it did, so the rows after it (CREATE TABLE … SELECT logs them in its transaction) are
    /// written with the new schema. The caller commits the rows before a statement that changes the schema. One the
    /// job skips (<see cref="PreparedStatement.SkipBecause"/>) is not run: only the schema follows it,
    /// and the history records it as skipped, with why.
    /// </summary>
    public async Task ApplyAsync(PreparedStatement prepared, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        var (query, decision, changes, at) = (prepared.Change.Query, prepared.Change.Decision, prepared.Change.SchemaChanges, prepared.At);
        if (prepared.SkipBecause is { } because)
        {
            decision = decision with { Outcome = DdlOutcome.Skipped, TargetStatement = null, Note = because };
        }
        else if (decision.TargetStatement is { } targetStatement)
        {
            await ApplyOnceAsync(targetStatement, query, at, cancellationToken).ConfigureAwait(false);
        }

        log.LogInformation("{Outcome} at {Position}: {Statement}{Note}", decision.Outcome, at, query.Query, decision.Note is null ? "" : " (" + decision.Note + ")");
        tracker.Apply(changes);
        foreach (var (name, table) in changes)
        {
            targets.Remove(name);
            if (table is not null)
            {
                targets[name] = new TargetTable(table.Schema, mapping);
            }
        }

        handled.Add(new Handled(new DdlRecord(at, DateTime.UnixEpoch.AddSeconds(query.Header.Timestamp), decision.Outcome, query.Query, decision.TargetStatement, decision.Note), changes));
    }

    /// <summary>Whether statements were handled in the transaction now ending: their schema and history must commit with the checkpoint.</summary>
    public bool HasHandled => handled.Count > 0;

    /// <summary>
    /// Saves the schema and the history of the statements handled, and clears the pending mark, in the transaction
    /// that moves the checkpoint past them. A crash before that commit starts again before them, with the tracked
    /// schema from before: nothing is lost, and the pending mark keeps a statement from running twice.
    /// </summary>
    /// <returns>The records of the statements, to report once the transaction has committed.</returns>
    public async Task<IReadOnlyList<DdlRecord>> SaveAsync(MySqlTransaction transaction, CancellationToken cancellationToken)
    {
        var records = new List<DdlRecord>();
        foreach (var done in handled)
        {
            await store.SaveAsync(target, transaction, done.Changes, cancellationToken).ConfigureAwait(false);
            await journal.RecordAsync(target, transaction, done.Record, cancellationToken).ConfigureAwait(false);
            records.Add(done.Record);
        }

        handled.Clear();
        return records;
    }

    /// <summary>Runs the statement on the target unless the pending mark shows that it already ran before a crash.</summary>
    private async Task ApplyOnceAsync(string statement, QueryEvent query, BinlogPosition at, CancellationToken cancellationToken)
    {
        var defaultDatabase = query.Database.Length == 0 ? "" : mapping.TargetDatabase(query.Database);
        var objects = DdlParser.Parse(statement, defaultDatabase, ((query.SqlMode ?? 0) & SqlModes.AnsiQuotes) != 0);
        var renames = objects.Kind == DdlKind.RenameTable;
        if (renames)
        {
            // Names and definitions cannot tell a swap of two alike tables done from not done: a marker table renamed in
            // the same atomic statement can.
            statement += $", {renameMarker} TO {renamedMarker}";
        }

        var marked = await journal.PendingAsync(target, at, cancellationToken).ConfigureAwait(false);
        var before = renames ? null : await LookAsync(objects, cancellationToken).ConfigureAwait(false);
        var ran = marked is not null && (renames ? await ExistsAsync(renamedMarker, cancellationToken).ConfigureAwait(false) : marked != before);
        if (ran)
        {
            log.LogInformation("The statement at {Position} already ran on the target before the last stop; it is not run again.", at);
        }
        else
        {
            if (renames)
            {
                await target.ExecuteAsync($"DROP TABLE IF EXISTS {renamedMarker}; CREATE TABLE IF NOT EXISTS {renameMarker} (id INT) ENGINE=InnoDB", cancellationToken).ConfigureAwait(false);
            }

            await journal.MarkPendingAsync(target, at, before ?? "rename", cancellationToken).ConfigureAwait(false);
            Failpoint.Hit("ddl-before-apply");
            try
            {
                await ExecuteAsync(statement, defaultDatabase, query, cancellationToken).ConfigureAwait(false);
            }
            catch (MySqlException e) when (e.IsRefusalOn(target))
            {
                // The server answered with an error: the statement did not run. Without the mark, a target mended by hand
                // after this is not taken for one where it ran.
                await journal.ClearPendingAsync(target, CancellationToken.None).ConfigureAwait(false);
                e.Data[StatementKey] = statement;
                throw;
            }

            Failpoint.Hit("ddl-after-apply");
        }

        if (objects.Kind == DdlKind.CreateEvent)
        {
            // The source's event runs there and its changes arrive through the binlog; running it here too would apply them twice.
            var name = objects.Objects[0];
            await target.ExecuteAsync($"ALTER EVENT {QualifiedName.Quote(name.Database)}.{QualifiedName.Quote(name.Name)} DISABLE ON SLAVE", cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<bool> ExistsAsync(string quotedTable, CancellationToken cancellationToken) =>
        await target.ShowCreateTableAsync(quotedTable, cancellationToken).ConfigureAwait(false) is not null;

    private async Task ExecuteAsync(string statement, string defaultDatabase, QueryEvent query, CancellationToken cancellationToken)
    {
        // The statement's own sql_mode and time zone (TIMESTAMP defaults, partition bounds, event times depend on it).
        await target.ExecuteAsync($"SET @dts_fk = @@SESSION.foreign_key_checks, SESSION foreign_key_checks = 0, SESSION sql_mode = {SqlText.Quote(SqlModes.ToNames(query.SqlMode ?? 0, mariaDb))}" +
            (query.TimeZone is { Length: > 0 } zone ? $", SESSION time_zone = {SqlText.Quote(zone)}" : ""), cancellationToken).ConfigureAwait(false);
        try
        {
            if (defaultDatabase.Length > 0)
            {
                try
                {
                    await target.ExecuteAsync($"USE {QualifiedName.Quote(defaultDatabase)}", cancellationToken).ConfigureAwait(false);
                }
                catch (MySqlException e) when (e.ErrorCode == MySqlErrorCode.UnknownDatabase)
                {
                }
            }

            try
            {
                await RunAsync(statement, cancellationToken).ConfigureAwait(false);
            }
            catch (MySqlException e) when (e.Number == AccessDenied && DdlRewriter.DefinerClause(statement) is not null)
            {
                // The target account may not create objects for another user: they run as the account that creates them.
                log.LogWarning("The target refused the statement's DEFINER ({Error}); it is applied without it.", e.Message);
                await RunAsync(DdlRewriter.WithoutDefiner(statement), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await target.ExecuteAsync($"SET SESSION foreign_key_checks = @dts_fk, SESSION sql_mode = '{MySqlConnectionFactory.SyncSqlMode}', SESSION time_zone = '+00:00'", cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RunAsync(string statement, CancellationToken cancellationToken)
    {
        // A DDL on a large table takes as long as it takes.
        await using var command = new MySqlCommand(statement, target) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    // How an object other than a table or view looks: its definition and times, by the family Family() gives.
    private static readonly Dictionary<string, string> LookQueries = new(StringComparer.Ordinal)
    {
        ["database"] = "SELECT CONCAT_WS('|', SCHEMA_NAME, DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = @db",
        ["procedure"] = "SELECT CONCAT_WS('|', ROUTINE_DEFINITION, CREATED, LAST_ALTERED, SQL_DATA_ACCESS, SECURITY_TYPE, ROUTINE_COMMENT) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = @db AND ROUTINE_NAME = @name AND ROUTINE_TYPE = 'PROCEDURE'",
        ["function"] = "SELECT CONCAT_WS('|', ROUTINE_DEFINITION, CREATED, LAST_ALTERED, SQL_DATA_ACCESS, SECURITY_TYPE, ROUTINE_COMMENT) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = @db AND ROUTINE_NAME = @name AND ROUTINE_TYPE = 'FUNCTION'",
        ["trigger"] = "SELECT CONCAT_WS('|', ACTION_STATEMENT, CREATED) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = @db AND TRIGGER_NAME = @name",
        ["event"] = "SELECT CONCAT_WS('|', EVENT_DEFINITION, CREATED, LAST_ALTERED, STATUS) FROM information_schema.EVENTS WHERE EVENT_SCHEMA = @db AND EVENT_NAME = @name",
    };

    /// <summary>How the objects a statement names look on the target now: their definitions, or their absence.</summary>
    private async Task<string> LookAsync(DdlStatement statement, CancellationToken cancellationToken)
    {
        var look = new StringBuilder();
        for (var i = 0; i < statement.Objects.Count; i++)
        {
            var o = statement.Objects[i];
            var family = Family(statement.Kind, i);
            string? definition;
            try
            {
                definition = family == "table"
                    ? await target.ShowCreateTableAsync(QualifiedName.Quote(o.Database) + "." + QualifiedName.Quote(o.Name), cancellationToken).ConfigureAwait(false)
                    : Convert.ToString(await target.ScalarAsync(LookQueries[family], cancellationToken, ("@db", o.Database), ("@name", o.Name)).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (MySqlException e) when (e.IsRefusalOn(target))
            {
                // A view whose tables are gone cannot be shown; that it cannot is its look.
                definition = $"(unreadable: {e.Number})";
            }

            look.Append(family).Append(' ').Append(o).Append(": ").Append(string.IsNullOrEmpty(definition) ? "(none)" : definition).Append('\n');
        }

        return look.ToString();
    }

    private static string Family(DdlKind kind, int index) => kind switch
    {
        DdlKind.CreateDatabase or DdlKind.AlterDatabase or DdlKind.DropDatabase => "database",
        DdlKind.CreateProcedure or DdlKind.AlterProcedure or DdlKind.DropProcedure => "procedure",
        DdlKind.CreateFunction or DdlKind.AlterFunction or DdlKind.DropFunction => "function",
        DdlKind.CreateTrigger when index == 1 => "trigger",
        DdlKind.DropTrigger => "trigger",
        DdlKind.CreateEvent or DdlKind.AlterEvent or DdlKind.DropEvent => "event",
        _ => "table",
    };

    private sealed record Handled(DdlRecord Record, IReadOnlyDictionary<(string Database, string Table), TrackedTable?> Changes);
}
