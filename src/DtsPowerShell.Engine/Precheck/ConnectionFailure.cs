using System.Security.Authentication;
using DtsPowerShell.Engine.Connections;
using MySqlConnector;

namespace DtsPowerShell.Engine.Precheck;

/// <summary>Turns a failed connection attempt into a message a person can act on.</summary>
internal static class ConnectionFailure
{
    public static (string Message, string Remedy) Describe(Exception error, ConnectionSettings settings, string side, TimeSpan timeout)
    {
        var where = $"the {side} {settings.Endpoint}";
        var innermost = error;
        while (innermost.InnerException is not null)
        {
            innermost = innermost.InnerException;
        }

        return error switch
        {
            OperationCanceledException or TimeoutException =>
                ($"No answer from {where} within {timeout.TotalSeconds:0} s.",
                 "Check that the address and port are right, that a MySQL server listens there, and that no firewall drops the traffic; raise -TimeoutSec for a slow link."),
            MySqlException { ErrorCode: MySqlErrorCode.AccessDenied or MySqlErrorCode.DatabaseAccessDenied } =>
                ($"{where} refused the login of '{settings.User}': {error.Message}",
                 $"Check the user name and password, and that '{settings.User}' may connect from this machine's address (CREATE USER '{settings.User}'@'<this host>' ...)."),
            MySqlException { ErrorCode: MySqlErrorCode.UnableToConnectToHost } when error.Message.Contains("timeout", StringComparison.OrdinalIgnoreCase) || innermost is TimeoutException =>
                ($"No answer from {where} within {timeout.TotalSeconds:0} s ({error.Message}).",
                 "Check that the address and port are right, that a MySQL server listens there, and that no firewall drops the traffic; raise -TimeoutSec for a slow link."),
            _ when innermost is AuthenticationException || error.Message.Contains("SSL", StringComparison.OrdinalIgnoreCase) || error.Message.Contains("TLS", StringComparison.OrdinalIgnoreCase) =>
                ($"The secure connection to {where} failed: {innermost.Message}",
                 $"Check the server's TLS setup and certificate (a certificate from a private authority needs that authority's PEM file: -SourceSslCa / -TargetSslCa when creating the job), or choose another SSL mode (it is {settings.SslMode})."),
            MySqlException { ErrorCode: MySqlErrorCode.UnableToConnectToHost } or System.Net.Sockets.SocketException =>
                ($"Cannot reach {where}: {innermost.Message}",
                 "Check the host name and port, that the server is running and listens on that address (bind_address), and that no firewall blocks the port."),
            _ => ($"Cannot connect to {where}: {error.Message}",
                  "Check the address, the credentials and the server's error log."),
        };
    }
}
