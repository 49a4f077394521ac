using System.Text.RegularExpressions;
using DtsPowerShell.Engine.Schema;
using DtsPowerShell.Engine.Connections;
using DtsPowerShell.Engine.Ddl;
using DtsPowerShell.Engine.Selection;
using Microsoft.Extensions.Logging;
using MySqlConnector;

namespace DtsPowerShell.Engine.Snapshot;

/// <summary>
/// Creates the selected objects on the target as the source defines them (SHOW CREATE …), under their mapped names:
/// databases and tables; for whole databases also views (in dependency order), procedures, functions and events
/// (disabled on the target: the source's runs arrive through the binlog), and, after the data, triggers whose bodies
/// skip the sync's own writes. Every step can run again after a crash. A DEFINER the target account may not use, or
/// that does not exist there, is left out (the object then runs as the account that created it).
/// </summary>
public sealed partial class SchemaInitializer(MySqlConnection source, MySqlConnection target, ObjectSelection selection, NameMapping mapping, ILogger log)
{
    private const int AccessDenied = 1227;
    private const int NoSuchTable = 1146;
    private const int NoSuchDefiner = 1449;

    /// <summary>Creates the databases and the tables as the job tracks them (as the source defined them when the job read its schema), then views, routines and events.</summary>
    public async Task CreateTablesAsync(IReadOnlyList<TrackedTable> tables, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tables);
        await target.ExecuteAsync("SET SESSION foreign_key_checks = 0", cancellationToken).ConfigureAwait(false);
        foreach (var database in selection.Databases)
        {
            var create = await ShowCreateAsync($"SHOW CREATE DATABASE {QualifiedName.Quote(database)}", 1, cancellationToken).ConfigureAwait(false);
            var targetName = mapping.TargetDatabase(database);
            var statement = DatabaseHeader().Replace(create!, $"CREATE DATABASE IF NOT EXISTS {QualifiedName.Quote(targetName)}", 1);
            await target.ExecuteAsync(statement, cancellationToken).ConfigureAwait(false);
        }

        foreach (var table in tables)
        {
            await CreateTableAsync(table.Schema, table.CreateStatement, replace: false, cancellationToken).ConfigureAwait(false);
        }

        foreach (var database in selection.Databases.Where(selection.IsWholeDatabase))
        {
            await CreateViewsAsync(database, cancellationToken).ConfigureAwait(false);
            await CreateRoutinesAsync(database, cancellationToken).ConfigureAwait(false);
            await CreateEventsAsync(database, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Creates one table on the target under its mapped names from the source's CREATE TABLE; with <paramref name="replace"/>,
    /// the target's table of that name is dropped first.
    /// </summary>
    public async Task CreateTableAsync(TableSchema table, string create, bool replace, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(create);
        var (targetDatabase, targetTable) = mapping.TargetTable(table.Database, table.Name);
        var name = $"{QualifiedName.Quote(targetDatabase)}.{QualifiedName.Quote(targetTable)}";
        var body = create[create.IndexOf('(', StringComparison.Ordinal)..];
        body = DdlRewriter.RenameQuotedNames(body, (db, t) => MapTable(db, t), column => Renamed(column, mapping.TargetColumn(table.Database, table.Name, column)));
        await UseAsync(targetDatabase, cancellationToken).ConfigureAwait(false);
        if (replace)
        {
            await target.ExecuteAsync($"SET SESSION foreign_key_checks = 0; DROP TABLE IF EXISTS {name}", cancellationToken).ConfigureAwait(false);
        }

        await target.ExecuteAsync($"CREATE TABLE IF NOT EXISTS {name} {body}", cancellationToken).ConfigureAwait(false);
        log.LogInformation("Created table {Target} for {Source}.", $"{targetDatabase}.{targetTable}", table);
    }

    /// <summary>Creates the triggers of whole selected databases; their bodies do nothing in sessions that set @dts_applying (the sync's).</summary>
    public async Task CreateTriggersAsync(CancellationToken cancellationToken)
    {
        foreach (var database in selection.Databases.Where(selection.IsWholeDatabase))
        {
            foreach (var name in await NamesAsync("SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = @db ORDER BY ACTION_ORDER", database, cancellationToken).ConfigureAwait(false))
            {
                var create = await ShowCreateAsync($"SHOW CREATE TRIGGER {QualifiedName.Quote(database)}.{QualifiedName.Quote(name)}", 2, cancellationToken).ConfigureAwait(false);
                if (create is null)
                {
                    log.LogWarning("Trigger {Database}.{Trigger} was not created: the source account cannot read its definition.", database, name);
                    continue;
                }

                // Names in the body as the target has them, the trigger and its table under theirs, the body guarded.
                var rewritten = Rewrite(create, database);
                var parsed = DdlParser.Parse(rewritten, database);
                var statement = parsed.Kind == DdlKind.CreateTrigger
                    ? DdlRewriter.GuardTriggerBody(DdlRewriter.RenameObjects(rewritten, parsed, o => o.Start == parsed.Objects[0].Start
                        ? mapping.TargetTable(o.Database, o.Name) is var (db, table) ? new SqlObjectName(db, table) : null
                        : new SqlObjectName(mapping.TargetDatabase(o.Database), o.Name)))
                    : null;
                if (statement is null)
                {
                    log.LogWarning("Trigger {Database}.{Trigger} was not created: its definition could not be read ({Definition}).", database, name, create);
                    continue;
                }

                await CreateAsync(mapping.TargetDatabase(database), statement, $"DROP TRIGGER IF EXISTS {QualifiedName.Quote(name)}", cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task CreateViewsAsync(string database, CancellationToken cancellationToken)
    {
        var pending = new List<(string Name, string Statement)>();
        foreach (var name in await NamesAsync("SELECT TABLE_NAME FROM information_schema.VIEWS WHERE TABLE_SCHEMA = @db ORDER BY TABLE_NAME", database, cancellationToken).ConfigureAwait(false))
        {
            if (await ShowCreateAsync($"SHOW CREATE VIEW {QualifiedName.Quote(database)}.{QualifiedName.Quote(name)}", 1, cancellationToken).ConfigureAwait(false) is { } create)
            {
                pending.Add((name, "CREATE OR REPLACE " + Rewrite(create, database)["CREATE ".Length..]));
            }
        }

        // A view may use another: create what can be created, then retry the rest, until a round makes no progress.
        while (pending.Count > 0)
        {
            var failed = new List<(string Name, string Statement)>();
            MySqlException? last = null;
            foreach (var view in pending)
            {
                try
                {
                    await CreateAsync(mapping.TargetDatabase(database), view.Statement, null, cancellationToken).ConfigureAwait(false);
                }
                catch (MySqlException e) when (e.Number == NoSuchTable)
                {
                    failed.Add(view);
                    last = e;
                }
            }

            if (failed.Count == pending.Count)
            {
                throw new InvalidOperationException($"The views {string.Join(", ", failed.Select(f => f.Name))} of {database} cannot be created on the target: {last!.Message}", last);
            }

            pending = failed;
        }
    }

    private async Task CreateRoutinesAsync(string database, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand("SELECT ROUTINE_NAME, ROUTINE_TYPE FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = @db ORDER BY ROUTINE_TYPE, ROUTINE_NAME", source);
        command.Parameters.AddWithValue("@db", database);
        var routines = new List<(string Name, string Type)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                routines.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        foreach (var (name, type) in routines.Where(r => r.Type is "PROCEDURE" or "FUNCTION"))
        {
            var create = await ShowCreateAsync($"SHOW CREATE {type} {QualifiedName.Quote(database)}.{QualifiedName.Quote(name)}", 2, cancellationToken).ConfigureAwait(false);
            if (create is null)
            {
                log.LogWarning("{Type} {Database}.{Name} was not created: the source account cannot read its definition (it needs SELECT on mysql.proc, or to own it).", type, database, name);
                continue;
            }

            await CreateAsync(mapping.TargetDatabase(database), Rewrite(create, database), $"DROP {type} IF EXISTS {QualifiedName.Quote(name)}", cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task CreateEventsAsync(string database, CancellationToken cancellationToken)
    {
        foreach (var name in await NamesAsync("SELECT EVENT_NAME FROM information_schema.EVENTS WHERE EVENT_SCHEMA = @db ORDER BY EVENT_NAME", database, cancellationToken).ConfigureAwait(false))
        {
            if (await ShowCreateAsync($"SHOW CREATE EVENT {QualifiedName.Quote(database)}.{QualifiedName.Quote(name)}", 3, cancellationToken).ConfigureAwait(false) is not { } create)
            {
                continue;
            }

            var targetDatabase = mapping.TargetDatabase(database);
            await CreateAsync(targetDatabase, Rewrite(create, database), $"DROP EVENT IF EXISTS {QualifiedName.Quote(name)}", cancellationToken).ConfigureAwait(false);
            // The source's event runs there; its changes arrive through the binlog. Running it here too would apply them twice.
            await target.ExecuteAsync($"ALTER EVENT {QualifiedName.Quote(targetDatabase)}.{QualifiedName.Quote(name)} DISABLE ON SLAVE", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Runs a CREATE; without its DEFINER when the target refuses it or lacks that account.</summary>
    private async Task CreateAsync(string database, string statement, string? drop, CancellationToken cancellationToken)
    {
        await UseAsync(database, cancellationToken).ConfigureAwait(false);
        if (drop is not null)
        {
            await target.ExecuteAsync(drop, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await target.ExecuteAsync(statement, cancellationToken).ConfigureAwait(false);
            if (!await WarnedAsync(NoSuchDefiner, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            if (drop is not null)
            {
                await target.ExecuteAsync(drop, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (MySqlException e) when (e.Number == AccessDenied && DdlRewriter.DefinerClause(statement) is not null)
        {
        }

        log.LogWarning("Created without its DEFINER (the target account may not use it, or it does not exist there): {Statement}", DdlRewriter.DefinerClause(statement));
        await target.ExecuteAsync(DdlRewriter.WithoutDefiner(statement), cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> WarnedAsync(int code, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand("SHOW WARNINGS", target);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (Convert.ToInt32(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture) == code)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Names of the selected database's objects in another database name, when it is mapped.</summary>
    private string Rewrite(string statement, string database) => DdlRewriter.RenameQuotedNames(statement, (db, t) => MapTable(db, t), name => name == database ? Renamed(name, mapping.TargetDatabase(name)) : null);

    private (string, string)? MapTable(string database, string table) =>
        selection.ContainsDatabase(database) && mapping.TargetTable(database, table) is var mapped && mapped != (database, table) ? mapped : null;

    private static string? Renamed(string name, string mapped) => mapped == name ? null : mapped;

    private async Task<List<string>> NamesAsync(string sql, string database, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand(sql, source);
        command.Parameters.AddWithValue("@db", database);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var names = new List<string>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    /// <summary>The definition the source shows, or null (with a warning) when the account may not see it.</summary>
    private async Task<string?> ShowCreateAsync(string sql, int column, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = new MySqlCommand(sql, source);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) && !reader.IsDBNull(column) ? reader.GetString(column) : null;
        }
        catch (MySqlException e) when (e.Number is 1044 or 1142 or 1227 or 1370)
        {
            log.LogWarning("Not created on the target: the source account may not read the definition ({Statement}: {Error}).", sql, e.Message);
            return null;
        }
    }

    private async Task UseAsync(string database, CancellationToken cancellationToken) =>
        await target.ExecuteAsync($"USE {QualifiedName.Quote(database)}", cancellationToken).ConfigureAwait(false);

    [GeneratedRegex(@"^CREATE DATABASE\s+(IF NOT EXISTS\s+)?`(?:[^`]|``)*`", RegexOptions.IgnoreCase)]
    private static partial Regex DatabaseHeader();
}
