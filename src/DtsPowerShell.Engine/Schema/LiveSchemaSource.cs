using MySqlConnector;

namespace DtsPowerShell.Engine.Schema;

/// <summary>
/// A server's schema as it is now, read a table at a time on first need and kept: what a reader of the binlog uses to
/// name and type columns when the binlog carries no column metadata (MariaDB's default binlog_row_metadata=NO_LOG,
/// MySQL 8's MINIMAL).
/// </summary>
public sealed class LiveSchemaSource
{
    private readonly MySqlConnection connection;
    private readonly Dictionary<(string, string), TableSchema?> tables = [];

    private LiveSchemaSource(MySqlConnection connection, IReadOnlyDictionary<string, int> collationIds)
    {
        this.connection = connection;
        CollationIds = collationIds;
    }

    public IReadOnlyDictionary<string, int> CollationIds { get; }

    /// <summary>A schema source on an open connection to the server, which the caller keeps and disposes.</summary>
    public static async Task<LiveSchemaSource> CreateAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return new LiveSchemaSource(connection, await SourceSchemaReader.ReadCollationIdsAsync(connection, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The table's schema, or null when the server has no such base table (or the account may not see it).</summary>
    public TableSchema? Find(string database, string table)
    {
        if (!tables.TryGetValue((database, table), out var schema))
        {
            // Called from inside the decoder, which has no await: the first row of a table waits for its schema once.
            schema = SourceSchemaReader.ReadAsync(connection, database, [table], CancellationToken.None).GetAwaiter().GetResult().FirstOrDefault();
            tables[(database, table)] = schema;
        }

        return schema;
    }

    /// <summary>A binder that completes table maps from this schema; a table that no longer matches is left by position, and <paramref name="onMismatch"/> says why.</summary>
    public TableMapBinder Binder(Action<string> onMismatch) => new(Find, CollationIds, onMismatch);
}
