using DtsPowerShell.Engine.Connections;
using DtsPowerShell.Engine.Ddl;
using DtsPowerShell.Engine.Selection;
using MySqlConnector;

namespace DtsPowerShell.Engine.Schema;

/// <summary>
/// Works out what a table DDL statement does, the way canal and DM do it: on a real server. The tables it names are
/// created empty in a private database on the target from their tracked CREATE TABLE, the statement runs there with
/// their names swapped in, and the result is read back (SHOW CREATE TABLE and information_schema). Whatever the
/// statement's syntax (AFTER, CHANGE, CONVERT TO, partitions…), the server answers, not a model of it.
/// </summary>
public sealed class ScratchDatabase
{
    private const string ReadBackMode = "NO_DIR_IN_CREATE";
    private readonly MySqlConnection connection;
    private readonly bool mariaDb;
    private string? collation;

    private ScratchDatabase(MySqlConnection connection, string name, bool mariaDb)
    {
        this.connection = connection;
        Name = name;
        this.mariaDb = mariaDb;
    }

    public string Name { get; }

    /// <summary>Prepares the scratch database of a job on a target connection kept for it (its session settings change).</summary>
    public static async Task<ScratchDatabase> OpenAsync(MySqlConnection connection, string jobId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var name = DtsObjects.ScratchDatabasePrefix + jobId;
        try
        {
            // Kept out of the target's binlog where the account may (a target that is itself a source, in a cascade).
            await connection.ExecuteAsync("SET SESSION sql_log_bin = 0", cancellationToken).ConfigureAwait(false);
        }
        catch (MySqlException)
        {
        }

        await connection.ExecuteAsync($"CREATE DATABASE IF NOT EXISTS {QualifiedName.Quote(name)}; SET SESSION foreign_key_checks = 0", cancellationToken).ConfigureAwait(false);
        return new ScratchDatabase(connection, name, ServerVersion.Parse(connection.ServerVersion).IsMariaDb);
    }

    /// <summary>
    /// Each table the statement names, as it is after the statement: its new definition, or null when the statement
    /// leaves no such table. <paramref name="current"/> gives the tracked definition of a name (null: none).
    /// </summary>
    public async Task<Dictionary<(string Database, string Table), TrackedTable?>> RunAsync(
        string sql, DdlStatement statement, ulong sqlMode, string? databaseCollation, Func<string, string, TrackedTable?> current, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentNullException.ThrowIfNull(current);
        var names = statement.Objects.Where(o => o.Name.Length > 0).Select(o => (o.Database, Table: o.Name)).Distinct().ToList();
        var scratchNames = names.Select((n, i) => (n, Scratch: $"t{i}")).ToDictionary(p => p.n, p => p.Scratch);
        string Quoted(string table) => QualifiedName.Quote(Name) + "." + QualifiedName.Quote(table);
        try
        {
            await DropAsync(scratchNames.Values, cancellationToken).ConfigureAwait(false);
            if (databaseCollation is not null && databaseCollation != collation)
            {
                await connection.ExecuteAsync($"ALTER DATABASE {QualifiedName.Quote(Name)} COLLATE {databaseCollation}", cancellationToken).ConfigureAwait(false);
                collation = databaseCollation;
            }

            // NO_DIR_IN_CREATE: a tracked DATA DIRECTORY must not place files here.
            await connection.ExecuteAsync($"SET SESSION sql_mode = '{ReadBackMode}'", cancellationToken).ConfigureAwait(false);
            foreach (var (name, scratch) in scratchNames)
            {
                if (current(name.Database, name.Table) is { } tracked)
                {
                    await connection.ExecuteAsync($"CREATE TABLE {Quoted(scratch)} {Body(tracked.CreateStatement)}", cancellationToken).ConfigureAwait(false);
                }
            }

            var renamed = DdlRewriter.RenameObjects(sql, statement, o => o.Name.Length > 0 ? new SqlObjectName(Name, scratchNames[(o.Database, o.Name)]) : null);
            var mode = SqlModes.ToNames(sqlMode, mariaDb);
            await connection.ExecuteAsync($"SET SESSION sql_mode = {SqlText.Quote(mode.Length == 0 ? ReadBackMode : mode + "," + ReadBackMode)}", cancellationToken).ConfigureAwait(false);
            try
            {
                await connection.ExecuteAsync(renamed, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                // Read back under a plain mode: ANSI_QUOTES or ORACLE would change what SHOW CREATE TABLE prints.
                await connection.ExecuteAsync($"SET SESSION sql_mode = '{ReadBackMode}'", cancellationToken).ConfigureAwait(false);
            }
        }
        catch (MySqlException e) when (e.IsRefusalOn(connection))
        {
            // Refused by the server: the tracked schema does not fit the statement. A dropped link is retried instead.
            throw new SchemaMismatchException($"The job cannot follow this statement of the source on the tables it tracks ({e.Message}): {SqlText.Excerpt(sql)}. " +
                "The schema the job holds for them differs from the source's at that point; Start-DtsSync -Resync starts the job over from the source's present schema.");
        }

        var schemas = (await SourceSchemaReader.ReadAsync(connection, Name, scratchNames.Values.ToList(), cancellationToken).ConfigureAwait(false)).ToDictionary(t => t.Name);
        var result = new Dictionary<(string, string), TrackedTable?>();
        foreach (var (name, scratch) in scratchNames)
        {
            if (schemas.TryGetValue(scratch, out var schema))
            {
                var create = await connection.ShowCreateTableAsync(Quoted(scratch), cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"{Quoted(scratch)} vanished from the scratch database.");
                result[name] = new TrackedTable(schema with { Database = name.Database, Name = name.Table, EstimatedRows = 0 }, create);
            }
            else
            {
                result[name] = null;
            }
        }

        await DropAsync(scratchNames.Values, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// The default collation a CREATE DATABASE gives on the target, worked out there (its CHARACTER SET and COLLATE
    /// clauses, or the server's defaults): the statement runs on a probe database of the job's own, dropped at once.
    /// The reader reads it ahead of the applier, before the target has the database.
    /// </summary>
    public async Task<string?> CreatedDatabaseCollationAsync(string sql, DdlStatement statement, ulong sqlMode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var probe = QualifiedName.Quote(ProbeDatabase(Name));
        var renamed = DdlRewriter.RenameObjects(sql, statement, o => o.Name.Length == 0 ? new SqlObjectName(ProbeDatabase(Name), "") : null);
        var mode = SqlModes.ToNames(sqlMode, mariaDb);
        await connection.ExecuteAsync($"DROP DATABASE IF EXISTS {probe}; SET SESSION sql_mode = {SqlText.Quote(mode)}", cancellationToken).ConfigureAwait(false);
        try
        {
            await connection.ExecuteAsync(renamed, cancellationToken).ConfigureAwait(false);
            return await connection.ScalarAsync("SELECT DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = @db", cancellationToken, ("@db", ProbeDatabase(Name))).ConfigureAwait(false) as string;
        }
        catch (MySqlException e) when (e.IsRefusalOn(connection))
        {
            // A statement the target refuses is the applier's to report; the target's default stands meanwhile.
            return null;
        }
        finally
        {
            await connection.ExecuteAsync($"SET SESSION sql_mode = '{ReadBackMode}'; DROP DATABASE IF EXISTS {probe}", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The database a job's scratch works out CREATE DATABASE in.</summary>
    public static string ProbeDatabase(string scratchName) => scratchName + "_db";

    /// <summary>What follows the table's name in a CREATE TABLE: the columns, keys and options.</summary>
    public static string Body(string createTable)
    {
        ArgumentNullException.ThrowIfNull(createTable);
        var name = DdlParser.Parse(createTable, "").Objects[0];
        return createTable[(name.Start + name.Length)..];
    }

    private Task DropAsync(ICollection<string> tables, CancellationToken cancellationToken) => tables.Count == 0 ? Task.CompletedTask :
        connection.ExecuteAsync($"DROP TABLE IF EXISTS {string.Join(",", tables.Select(t => QualifiedName.Quote(Name) + "." + QualifiedName.Quote(t)))}", cancellationToken);
}
