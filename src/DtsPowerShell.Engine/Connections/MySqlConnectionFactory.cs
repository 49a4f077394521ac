using MySqlConnector;

namespace DtsPowerShell.Engine.Connections;

/// <summary>Builds MySqlConnector connections for a job's settings, in UTC and with bounded waits.</summary>
public static class MySqlConnectionFactory
{
    /// <summary>
    /// The session settings of every sync connection: UTC, so TIMESTAMP values never shift whatever the servers'
    /// time_zone; zero stays zero in AUTO_INCREMENT columns; zero dates are values; backslash escapes on (our literals
    /// rely on it); and the variable that the target's triggers test, so they do not fire for the sync's own writes.
    /// </summary>
    public const string SyncSessionSql =
        "SET SESSION time_zone = '+00:00', SESSION sql_mode = '" + SyncSqlMode + "', @dts_applying = 1";

    /// <summary>Idle seconds before TCP keepalive probes a connection (every connection: ours and MySqlConnector's).</summary>
    public const int KeepaliveSeconds = 15;

    /// <summary>The sql_mode of the sync's sessions.</summary>
    public const string SyncSqlMode = "NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION";

    /// <summary>
    /// Opens a connection for the sync: values as the server holds them (zero dates, TINYINT(1) and CHAR(36) as such), no
    /// command timeout, the <see cref="SyncSessionSql"/> settings. <paramref name="loadLocalData"/> allows LOAD DATA LOCAL
    /// (the table copy's target connections only: a server may then ask the client for data).
    /// </summary>
    public static async Task<MySqlConnection> OpenForSyncAsync(ConnectionSettings settings, TimeSpan timeout, CancellationToken cancellationToken, bool loadLocalData = false)
    {
        var connection = Create(settings, timeout, forSync: true, loadLocalData: loadLocalData);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new MySqlCommand(SyncSessionSql, connection);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public static MySqlConnection Create(ConnectionSettings settings, TimeSpan timeout, string? database = null) => Create(settings, timeout, forSync: false, loadLocalData: false, database);

    private static MySqlConnection Create(ConnectionSettings settings, TimeSpan timeout, bool forSync, bool loadLocalData, string? database = null)
    {
        var seconds = (uint)Math.Max(1, Math.Ceiling(timeout.TotalSeconds));
        var builder = new MySqlConnectionStringBuilder
        {
            Server = settings.Endpoint.Host,
            Port = (uint)settings.Endpoint.Port,
            UserID = settings.User,
            Password = settings.Password,
            Database = database ?? "",
            SslMode = ToMySqlSslMode(settings.SslMode),
            // A server's RSA key fetched over an unencrypted link can be an attacker's: only where no security was asked for.
            AllowPublicKeyRetrieval = settings.SslMode is DtsSslMode.None,
            ConnectionTimeout = seconds,
            DefaultCommandTimeout = seconds,
            Pooling = false,
            CharacterSet = "utf8mb4",
            ConnectionReset = false,
            ApplicationName = "DtsPowerShell",
            Keepalive = KeepaliveSeconds,
        };
        if (forSync)
        {
            builder.AllowZeroDateTime = true;
            builder.TreatTinyAsBoolean = false;
            builder.GuidFormat = MySqlGuidFormat.None;
            builder.DefaultCommandTimeout = 0;
            builder.AllowUserVariables = true;
            builder.AllowLoadLocalInfile = loadLocalData;
        }

        var connection = new MySqlConnection(builder.ConnectionString);
        if (settings.SslMode is DtsSslMode.VerifyCA or DtsSslMode.VerifyFull)
        {
            // TLS required, and the certificate judged as our replication client judges it (a CA file replaces the
            // system's trust, which MySqlConnector's own SslCa only adds to). MySqlConnector calls the callback in Required mode.
            connection.RemoteCertificateValidationCallback = ServerCertificateValidator.For(settings);
        }

        return connection;
    }

    private static MySqlSslMode ToMySqlSslMode(DtsSslMode mode) => mode switch
    {
        DtsSslMode.None => MySqlSslMode.None,
        DtsSslMode.Preferred => MySqlSslMode.Preferred,
        DtsSslMode.Required => MySqlSslMode.Required,
        DtsSslMode.VerifyCA or DtsSslMode.VerifyFull => MySqlSslMode.Required,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };
}
