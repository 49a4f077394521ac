using DtsPowerShell.Engine.Connections;
using DtsPowerShell.Engine.Ddl;
using DtsPowerShell.Engine.Selection;
using MySqlConnector;

namespace DtsPowerShell.Engine.Schema;

/// <summary>
/// The selected source tables as of the position the job has applied: read from the source when the job starts, then
/// changed by each DDL statement in stream order (<see cref="ChangesAsync"/>, then <see cref="Apply"/> once the
/// statement's checkpoint is saved). Rows are decoded against it, never against the source's live structure, so a
/// job far behind reads each row with the columns its table had when the row was written.
/// </summary>
public sealed class SchemaTracker
{
    private readonly Dictionary<(string Database, string Table), TrackedTable> tables;

    public SchemaTracker(IEnumerable<TrackedTable> tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        this.tables = tables.ToDictionary(t => (t.Schema.Database, t.Schema.Name));
    }

    public IReadOnlyCollection<TrackedTable> Tables => tables.Values;

    public TrackedTable? Find(string database, string table) => tables.GetValueOrDefault((database, table));

    /// <summary>The selected tables as the source has them now (SHOW CREATE TABLE and information_schema).</summary>
    public static async Task<SchemaTracker> CaptureAsync(MySqlConnection source, ObjectSelection selection, CancellationToken cancellationToken)
    {
        var schemas = await SourceSchemaReader.ReadAsync(source, selection, cancellationToken).ConfigureAwait(false);
        var tracked = new List<TrackedTable>();
        foreach (var schema in schemas)
        {
            var create = await source.ShowCreateTableAsync(QualifiedName.Quote(schema.Database) + "." + QualifiedName.Quote(schema.Name), cancellationToken).ConfigureAwait(false)
                ?? throw new SchemaMismatchException($"{schema} was dropped on the source while the job read its schema; start the job again.");
            tracked.Add(new TrackedTable(schema, create));
        }

        return new SchemaTracker(tracked);
    }

    /// <summary>
    /// What a statement does to the tracked tables: for each tracked name it touches, the table after it (null: gone).
    /// <paramref name="isTracked"/> says which names are followed (the selected ones); others are left out.
    /// </summary>
    /// <param name="statement">The statement, read.</param>
    /// <param name="sql">Its text.</param>
    /// <param name="sqlMode">The sql_mode it ran under (the query event's bits).</param>
    /// <param name="databaseCollation">For CREATE TABLE: the default collation of its database, which a table without its own takes.</param>
    /// <param name="scratch">Where table statements are run to see what they do.</param>
    /// <param name="isTracked">Which names are followed.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    public async Task<IReadOnlyDictionary<(string Database, string Table), TrackedTable?>> ChangesAsync(
        DdlStatement statement, string sql, ulong sqlMode, string? databaseCollation, ScratchDatabase scratch, Func<string, string, bool> isTracked, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentNullException.ThrowIfNull(scratch);
        ArgumentNullException.ThrowIfNull(isTracked);
        var changes = new Dictionary<(string, string), TrackedTable?>();
        switch (statement.Kind)
        {
            case DdlKind.DropTable:
                foreach (var o in statement.Objects.Where(o => tables.ContainsKey((o.Database, o.Name))))
                {
                    changes[(o.Database, o.Name)] = null;
                }

                break;
            case DdlKind.RenameTable:
                // Pairs in order, each seeing the ones before (RENAME a TO tmp, b TO a, tmp TO b swaps a and b); a table
                // passing through a name not followed is still carried to where it ends.
                var working = new Dictionary<(string, string), TrackedTable?>();
                TrackedTable? Current((string, string) name) => working.TryGetValue(name, out var t) ? t : tables.GetValueOrDefault(name);
                for (var i = 0; i + 1 < statement.Objects.Count; i += 2)
                {
                    var (from, to) = (statement.Objects[i], statement.Objects[i + 1]);
                    var moved = Current((from.Database, from.Name));
                    working[(from.Database, from.Name)] = null;
                    working[(to.Database, to.Name)] = moved is null ? null : moved with { Schema = moved.Schema with { Database = to.Database, Name = to.Name } };
                }

                foreach (var (name, table) in working)
                {
                    var kept = table is not null && isTracked(name.Item1, name.Item2) ? table : null;
                    if (kept is not null || tables.ContainsKey(name))
                    {
                        changes[name] = kept;
                    }
                }

                break;
            case DdlKind.CreateTable or DdlKind.AlterTable or DdlKind.CreateIndex or DdlKind.DropIndex:
                if (!statement.Objects.Any(o => isTracked(o.Database, o.Name)))
                {
                    break;
                }

                var after = await scratch.RunAsync(sql, statement, sqlMode, databaseCollation, (d, t) => Find(d, t), cancellationToken).ConfigureAwait(false);
                foreach (var (name, table) in after.Where(a => isTracked(a.Key.Database, a.Key.Table) || tables.ContainsKey(a.Key)))
                {
                    changes[name] = table is not null && isTracked(name.Database, name.Table) ? table : null;
                }

                break;
        }

        return changes;
    }

    /// <summary>Takes the changes of a statement whose checkpoint is saved.</summary>
    public void Apply(IReadOnlyDictionary<(string Database, string Table), TrackedTable?> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        foreach (var (name, table) in changes)
        {
            if (table is null)
            {
                tables.Remove(name);
            }
            else
            {
                tables[name] = table;
            }
        }
    }
}
