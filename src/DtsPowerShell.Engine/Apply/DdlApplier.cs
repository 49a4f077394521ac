using System.Text;
using System.Text.RegularExpressions;
using DtsPowerShell.Engine.Binlog;
using DtsPowerShell.Engine.Binlog.Events;
using DtsPowerShell.Engine.Connections;
using DtsPowerShell.Engine.Ddl;
using DtsPowerShell.Engine.Schema;
using DtsPowerShell.Engine.Selection;
using Microsoft.Extensions.Logging;
using MySqlConnector;

namespace DtsPowerShell.Engine.Apply;

/// <summary>
/// Applies the source's statements as a barrier. The rows before a statement are committed first (by the caller);
/// <see cref="HandleAsync"/> decides (<see cref="DdlRules"/>), works out the tracked tables after it, and runs it on
/// the target once, marked as pending, and moves the tracker and the target tables to the schema it leaves, while the
/// reader waits (<see cref="SchemaBarrier"/>); <see cref="SaveAsync"/>, at the end of its transaction, saves the tracked
/// schema and the history in the transaction of the checkpoint past it, and clears the mark.
/// </summary>
public sealed partial class DdlApplier(
    MySqlConnection target,
    SchemaTracker tracker,
    ScratchDatabase scratch,
    SchemaStore store,
    DdlJournal journal,
    ObjectSelection selection,
    NameMapping mapping,
    IDictionary<(string Database, string Table), TargetTable> targets,
    IDictionary<(string Database, string Table), TableCopyState> copies,
    ILogger log)
{
    private const int AccessDenied = 1227;
    private readonly bool mariaDb = ServerVersion.Parse(target.ServerVersion).IsMariaDb;
    private Handled? handled;

    /// <summary>Handles a statement that begins at <paramref name="at"/>; throws <see cref="SyncStoppedException"/> for one the rules refuse.</summary>
    public async Task HandleAsync(QueryEvent query, BinlogPosition at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(at);
        var ansiQuotes = ((query.SqlMode ?? 0) & SqlModes.AnsiQuotes) != 0;
        var statement = DdlParser.Parse(query.Query, query.Database, ansiQuotes);
        var decision = DdlRules.Decide(statement, query.Query, query.Database, selection, mapping, ansiQuotes);
        if (decision.Outcome == DdlOutcome.Ignored || CoveredByCopies(statement, at))
        {
            return;
        }

        if (decision.Outcome == DdlOutcome.Refused)
        {
            throw new SyncStoppedException($"The source's binlog at {at} holds a statement the sync cannot apply. {decision.Note}");
        }

        var changes = decision.Outcome == DdlOutcome.Skipped && statement.Kind is not (DdlKind.DropTable or DdlKind.RenameTable)
            ? new Dictionary<(string, string), TrackedTable?>()
            : await tracker.ChangesAsync(statement, query.Query, query.SqlMode ?? 0, scratch, selection.FollowsTable, cancellationToken).ConfigureAwait(false);
        if (decision.TargetStatement is { } targetStatement)
        {
            await ApplyOnceAsync(targetStatement, query, at, cancellationToken).ConfigureAwait(false);
        }

        log.LogInformation("{Outcome} at {Position}: {Statement}{Note}", decision.Outcome, at, query.Query, decision.Note is null ? "" : " (" + decision.Note + ")");
        // The rows after the statement (CREATE TABLE … SELECT logs them in its transaction) are decoded and written with the new schema.
        tracker.Apply(changes);
        foreach (var (name, table) in changes)
        {
            targets.Remove(name);
            if (table is not null)
            {
                targets[name] = new TargetTable(table.Schema, mapping);
            }
        }

        MoveCopyStates(changes);
        handled = new Handled(new DdlRecord(at, DateTime.UnixEpoch.AddSeconds(query.Header.Timestamp), decision.Outcome, query.Query, decision.TargetStatement, decision.Note), changes);
    }

    /// <summary>Whether a statement was handled in the transaction now ending: its schema and history must commit with the checkpoint.</summary>
    public bool HasHandled => handled is not null;

    /// <summary>
    /// Saves the schema and the history of the statement handled, and clears its pending mark, in the transaction that
    /// moves the checkpoint past it. A crash before that commit starts again before the statement, with the tracked
    /// schema from before it: nothing is lost, and the pending mark keeps it from running twice.
    /// </summary>
    /// <returns>The record of the statement, to report once the transaction has committed.</returns>
    public async Task<DdlRecord?> SaveAsync(MySqlTransaction transaction, CancellationToken cancellationToken)
    {
        if (handled is not { } done)
        {
            return null;
        }

        await store.SaveAsync(target, transaction, done.Changes, cancellationToken).ConfigureAwait(false);
        await journal.RecordAsync(target, transaction, done.Record, cancellationToken).ConfigureAwait(false);
        handled = null;
        return done.Record;
    }

    /// <summary>Runs the statement on the target unless the pending mark shows that it already ran before a crash.</summary>
    private async Task ApplyOnceAsync(string statement, QueryEvent query, BinlogPosition at, CancellationToken cancellationToken)
    {
        var defaultDatabase = query.Database.Length == 0 ? "" : mapping.TargetDatabase(query.Database);
        var objects = DdlParser.Parse(statement, defaultDatabase, ((query.SqlMode ?? 0) & SqlModes.AnsiQuotes) != 0);
        var before = await LookAsync(objects, cancellationToken).ConfigureAwait(false);
        if (await journal.PendingAsync(target, at, cancellationToken).ConfigureAwait(false) is { } marked && marked != before)
        {
            log.LogInformation("The statement at {Position} already ran on the target before the last stop; it is not run again.", at);
            return;
        }

        await journal.MarkPendingAsync(target, at, before, cancellationToken).ConfigureAwait(false);
        Failpoint.Hit("ddl-before-apply");
        await ExecuteAsync(statement, defaultDatabase, query.SqlMode ?? 0, cancellationToken).ConfigureAwait(false);
        if (objects.Kind == DdlKind.CreateEvent)
        {
            // The source's event runs there and its changes arrive through the binlog; running it here too would apply them twice.
            var name = objects.Objects[0];
            await target.ExecuteAsync($"ALTER EVENT {QualifiedName.Quote(name.Database)}.{QualifiedName.Quote(name.Name)} DISABLE ON SLAVE", cancellationToken).ConfigureAwait(false);
        }

        Failpoint.Hit("ddl-after-apply");
    }

    private async Task ExecuteAsync(string statement, string defaultDatabase, ulong sqlMode, CancellationToken cancellationToken)
    {
        await target.ExecuteAsync($"SET @dts_fk = @@SESSION.foreign_key_checks, SESSION foreign_key_checks = 0, SESSION sql_mode = {SqlText.Quote(SqlModes.ToNames(sqlMode, mariaDb))}", cancellationToken).ConfigureAwait(false);
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
            catch (MySqlException e) when (e.Number == AccessDenied && Definer().IsMatch(statement))
            {
                // The target account may not create objects for another user: they run as the account that creates them.
                log.LogWarning("The target refused the statement's DEFINER ({Error}); it is applied without it.", e.Message);
                await RunAsync(Definer().Replace(statement, "", 1), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await target.ExecuteAsync($"SET SESSION foreign_key_checks = @dts_fk, SESSION sql_mode = '{MySqlConnectionFactory.SyncSqlMode}'", cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RunAsync(string statement, CancellationToken cancellationToken)
    {
        // A DDL on a large table takes as long as it takes.
        await using var command = new MySqlCommand(statement, target) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>How the objects a statement names look on the target now: their definitions, or their absence.</summary>
    private async Task<string> LookAsync(DdlStatement statement, CancellationToken cancellationToken)
    {
        var look = new StringBuilder();
        for (var i = 0; i < statement.Objects.Count; i++)
        {
            var o = statement.Objects[i];
            var (sql, kind) = Family(statement.Kind, i) switch
            {
                "database" => ("SELECT CONCAT_WS('|', SCHEMA_NAME, DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = @db", "database"),
                var routine when routine is "PROCEDURE" or "FUNCTION" => ($"SELECT CONCAT_WS('|', ROUTINE_DEFINITION, CREATED, LAST_ALTERED, SQL_DATA_ACCESS, SECURITY_TYPE, ROUTINE_COMMENT) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = @db AND ROUTINE_NAME = @name AND ROUTINE_TYPE = '{routine}'", routine),
                "trigger" => ("SELECT CONCAT_WS('|', ACTION_STATEMENT, CREATED) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = @db AND TRIGGER_NAME = @name", "trigger"),
                "event" => ("SELECT CONCAT_WS('|', EVENT_DEFINITION, CREATED, LAST_ALTERED, STATUS) FROM information_schema.EVENTS WHERE EVENT_SCHEMA = @db AND EVENT_NAME = @name", "event"),
                _ => ("", "table"),
            };
            var definition = kind == "table"
                ? await target.ShowCreateTableAsync(QualifiedName.Quote(o.Database) + "." + QualifiedName.Quote(o.Name), cancellationToken).ConfigureAwait(false)
                : Convert.ToString(await target.ScalarAsync(sql, cancellationToken, ("@db", o.Database), ("@name", o.Name)).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
            look.Append(kind).Append(' ').Append(o).Append(": ").Append(string.IsNullOrEmpty(definition) ? "(none)" : definition).Append('\n');
        }

        return look.ToString();
    }

    private static string Family(DdlKind kind, int index) => kind switch
    {
        DdlKind.CreateDatabase or DdlKind.AlterDatabase or DdlKind.DropDatabase => "database",
        DdlKind.CreateProcedure or DdlKind.AlterProcedure or DdlKind.DropProcedure => "PROCEDURE",
        DdlKind.CreateFunction or DdlKind.AlterFunction or DdlKind.DropFunction => "FUNCTION",
        DdlKind.CreateTrigger when index == 1 => "trigger",
        DdlKind.DropTrigger => "trigger",
        DdlKind.CreateEvent or DdlKind.AlterEvent or DdlKind.DropEvent => "event",
        _ => "table",
    };

    /// <summary>Whether every selected table the statement names was copied after it: the copy already holds its effect.</summary>
    private bool CoveredByCopies(DdlStatement statement, BinlogPosition at)
    {
        var tables = statement.Objects.Where(o => o.Name.Length > 0 && selection.ContainsTable(o.Database, o.Name)).ToList();
        return tables.Count > 0 && tables.All(o => copies.TryGetValue((o.Database, o.Name), out var copy) && at.CompareTo(copy.From) < 0);
    }

    /// <summary>A renamed table keeps its copy's positions under its new name (its rows before them are in the copy).</summary>
    private void MoveCopyStates(IReadOnlyDictionary<(string Database, string Table), TrackedTable?> changes)
    {
        var gone = changes.Where(c => c.Value is null && copies.ContainsKey(c.Key)).Select(c => c.Key).ToList();
        var arrived = changes.Where(c => c.Value is not null && !copies.ContainsKey(c.Key)).Select(c => c.Key).ToList();
        if (gone.Count == 1 && arrived.Count == 1)
        {
            copies[arrived[0]] = copies[gone[0]] with { Database = arrived[0].Database, Table = arrived[0].Table };
        }

        foreach (var name in gone)
        {
            copies.Remove(name);
        }
    }

    [GeneratedRegex(@"DEFINER\s*=\s*(`(?:[^`]|``)*`|'[^']*'|[^\s@]+)(@(`(?:[^`]|``)*`|'[^']*'|\S+))?\s+", RegexOptions.IgnoreCase)]
    private static partial Regex Definer();

    private sealed record Handled(DdlRecord Record, IReadOnlyDictionary<(string Database, string Table), TrackedTable?> Changes);
}
