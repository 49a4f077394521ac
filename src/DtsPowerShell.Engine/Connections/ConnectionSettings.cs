using DtsPowerShell.Engine.Jobs;

namespace DtsPowerShell.Engine.Connections;

/// <summary>Where and as whom a job connects. The password never appears in <see cref="ToString"/>.</summary>
public sealed class ConnectionSettings(ServerEndpoint endpoint, string user, string password, DtsSslMode sslMode)
{
    public ServerEndpoint Endpoint { get; } = endpoint;

    public string User { get; } = user;

    public string Password { get; } = password;

    public DtsSslMode SslMode { get; } = sslMode;

    public override string ToString() => $"{User}@{Endpoint}";
}
