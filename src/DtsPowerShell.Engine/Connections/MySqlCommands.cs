using MySqlConnector;

namespace DtsPowerShell.Engine.Connections;

/// <summary>Statements run on a MySqlConnector connection without the command boilerplate.</summary>
public static class MySqlCommands
{
    /// <summary>Runs a statement (several, separated by semicolons); <paramref name="parameters"/> bind <c>@name</c> placeholders.</summary>
    public static async Task ExecuteAsync(this MySqlConnection connection, string sql, CancellationToken cancellationToken, MySqlTransaction? transaction = null, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, sql, transaction, parameters);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The first column of the first row, or null.</summary>
    public static async Task<object?> ScalarAsync(this MySqlConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, sql, null, parameters);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs a query and hands each row to <paramref name="onRow"/>.</summary>
    public static async Task EachRowAsync(this MySqlConnection connection, string sql, Action<MySqlDataReader> onRow, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(onRow);
        await using var command = Command(connection, sql, null, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            onRow(reader);
        }
    }

    /// <summary>What SHOW CREATE TABLE prints for a table or view (its name given quoted), or null when there is none.</summary>
    public static async Task<string?> ShowCreateTableAsync(this MySqlConnection connection, string quotedName, CancellationToken cancellationToken)
    {
        string? create = null;
        try
        {
            await connection.EachRowAsync($"SHOW CREATE TABLE {quotedName}", row => create = row.GetString(1), cancellationToken).ConfigureAwait(false);
        }
        catch (MySqlException e) when (e.ErrorCode is MySqlErrorCode.NoSuchTable or MySqlErrorCode.UnknownDatabase)
        {
        }

        return create;
    }

    /// <summary>
    /// Whether the server refused the statement: it answered with an error on a connection that is still open. A
    /// dropped link, a timeout or a failed connect is not a refusal: the statement may or may not have run.
    /// </summary>
    public static bool IsRefusalOn(this MySqlException error, MySqlConnection connection)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(connection);
        return error.Number >= 1000 && connection.State == System.Data.ConnectionState.Open
            && error.ErrorCode is not (MySqlErrorCode.UnableToConnectToHost or MySqlErrorCode.CommandTimeoutExpired);
    }

    private static MySqlCommand Command(MySqlConnection connection, string sql, MySqlTransaction? transaction, (string Name, object? Value)[] parameters)
    {
        var command = new MySqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }
}
