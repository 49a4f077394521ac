using DtsPowerShell.Engine.Connections;
using MySqlConnector;

namespace DtsPowerShell.Engine.Precheck;

/// <summary>An open connection to one side of a job, with what the checks read from it more than once.</summary>
internal sealed class ServerSession : IAsyncDisposable
{
    private readonly MySqlConnection? connection;

    private ServerSession(ConnectionSettings settings, MySqlConnection? connection)
    {
        Settings = settings;
        this.connection = connection;
    }

    public ConnectionSettings Settings { get; }

    public ServerVersion Version { get; private set; } = ServerVersion.Parse("");

    /// <summary>Global variables, names case-insensitive.</summary>
    public IReadOnlyDictionary<string, string> Variables { get; private set; } = new Dictionary<string, string>();

    /// <summary>The account as the server matched it, e.g. <c>'repl'@'%'</c>.</summary>
    public string Account { get; private set; } = "";

    public GrantSet Grants { get; } = new();

    /// <summary>The TLS cipher of the connection; empty when it is not encrypted.</summary>
    public string Cipher { get; private set; } = "";

    public static async Task<ServerSession> OpenAsync(ConnectionSettings settings, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var connection = MySqlConnectionFactory.Create(settings, timeout);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var session = new ServerSession(settings, connection);
            await session.LoadAsync(cancellationToken).ConfigureAwait(false);
            return session;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>A session with given variables and no connection, for unit tests of checks that only read variables.</summary>
    internal static ServerSession Offline(ConnectionSettings settings, string version, IReadOnlyDictionary<string, string> variables) =>
        new(settings, null) { Version = ServerVersion.Parse(version), Variables = new Dictionary<string, string>(variables, StringComparer.OrdinalIgnoreCase), Account = $"'{settings.User}'@'%'" };

    public string Variable(string name) => Variables.TryGetValue(name, out var value) ? value : "";

    public long NumericVariable(string name) => long.TryParse(Variable(name), System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : 0;

    public async Task<List<object?[]>> QueryAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = (connection ?? throw new InvalidOperationException("This session has no connection.")).CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<object?[]>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    public async Task<object?> ScalarAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        var rows = await QueryAsync(sql, cancellationToken, parameters).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0][0];
    }

    public ValueTask DisposeAsync() => connection?.DisposeAsync() ?? ValueTask.CompletedTask;

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Version = ServerVersion.Parse((string)(await ScalarAsync("SELECT VERSION()", cancellationToken).ConfigureAwait(false))!);
        var variables = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var row in await QueryAsync("SHOW GLOBAL VARIABLES", cancellationToken).ConfigureAwait(false))
        {
            variables[Convert.ToString(row[0], System.Globalization.CultureInfo.InvariantCulture)!] = Convert.ToString(row[1], System.Globalization.CultureInfo.InvariantCulture) ?? "";
        }

        Variables = variables;
        Cipher = Convert.ToString((await QueryAsync("SHOW SESSION STATUS LIKE 'Ssl_cipher'", cancellationToken).ConfigureAwait(false)).FirstOrDefault()?[1], System.Globalization.CultureInfo.InvariantCulture) ?? "";
        var user = (string)(await ScalarAsync("SELECT CURRENT_USER()", cancellationToken).ConfigureAwait(false))!;
        var at = user.LastIndexOf('@');
        Account = at < 0 ? $"'{user}'" : $"'{user[..at]}'@'{user[(at + 1)..]}'";
        var grantees = new List<string> { Account };
        if (Version.IsMariaDb && await ScalarAsync("SELECT CURRENT_ROLE()", cancellationToken).ConfigureAwait(false) is string role)
        {
            grantees.Add($"'{role}'");
        }

        const string GrantsSql =
            "SELECT 'G', PRIVILEGE_TYPE, NULL, NULL FROM information_schema.USER_PRIVILEGES WHERE GRANTEE IN (@a, @b) " +
            "UNION ALL SELECT 'S', PRIVILEGE_TYPE, TABLE_SCHEMA, NULL FROM information_schema.SCHEMA_PRIVILEGES WHERE GRANTEE IN (@a, @b) " +
            "UNION ALL SELECT 'T', PRIVILEGE_TYPE, TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLE_PRIVILEGES WHERE GRANTEE IN (@a, @b)";
        var rows = await QueryAsync(GrantsSql, cancellationToken, ("@a", grantees[0]), ("@b", grantees[^1])).ConfigureAwait(false);
        foreach (var row in rows)
        {
            var privilege = (string)row[1]!;
            switch ((string)row[0]!)
            {
                case "G": Grants.AddGlobal(privilege); break;
                case "S": Grants.AddSchema((string)row[2]!, privilege); break;
                default: Grants.AddTable((string)row[2]!, (string)row[3]!, privilege); break;
            }
        }
    }
}
