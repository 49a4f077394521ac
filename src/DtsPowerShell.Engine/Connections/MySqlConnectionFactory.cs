using MySqlConnector;

namespace DtsPowerShell.Engine.Connections;

/// <summary>Builds MySqlConnector connections for a job's settings, in UTC and with bounded waits.</summary>
public static class MySqlConnectionFactory
{
    public static MySqlConnection Create(ConnectionSettings settings, TimeSpan timeout, string? database = null)
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
        };
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
