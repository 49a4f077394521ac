
namespace DtsPowerShell.Engine.Connections;

/// <summary>Where and as whom a job connects. The password never appears in <see cref="ToString"/>.</summary>
public sealed class ConnectionSettings(ServerEndpoint endpoint, string user, string password, DtsSslMode sslMode, string? sslCa = null)
{
    public ServerEndpoint Endpoint { get; } = endpoint;

    public string User { get; } = user;

    public string Password { get; } = password;

    public DtsSslMode SslMode { get; } = sslMode;

    /// <summary>A PEM file of certificate authorities that VerifyCA/VerifyFull trust instead of the system's; null for the system's.</summary>
    public string? SslCa { get; } = sslCa;

    public override string ToString() => $"{User}@{Endpoint}";
}
