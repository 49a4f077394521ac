using DtsPowerShell.Engine.Jobs;
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
            SslCa = settings.SslCa ?? "",
            // A server's RSA key fetched over an unencrypted link can be an attacker's: only where no security was asked for.
            AllowPublicKeyRetrieval = settings.SslMode is DtsSslMode.None,
            ConnectionTimeout = seconds,
            DefaultCommandTimeout = seconds,
            Pooling = false,
            CharacterSet = "utf8mb4",
            ConnectionReset = false,
            ApplicationName = "DtsPowerShell",
        };
        return new MySqlConnection(builder.ConnectionString);
    }

    private static MySqlSslMode ToMySqlSslMode(DtsSslMode mode) => mode switch
    {
        DtsSslMode.None => MySqlSslMode.None,
        DtsSslMode.Preferred => MySqlSslMode.Preferred,
        DtsSslMode.Required => MySqlSslMode.Required,
        DtsSslMode.VerifyCA => MySqlSslMode.VerifyCA,
        DtsSslMode.VerifyFull => MySqlSslMode.VerifyFull,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };
}
