using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace DtsPowerShell.Engine.Connections;

/// <summary>
/// Decides whether a server's TLS certificate is acceptable under a connection's SSL mode; used by our protocol
/// client and by MySqlConnector alike, so both verify the same way. With a CA file, the chain must end at one of
/// its authorities: the system's store plays no part, and nothing is downloaded.
/// </summary>
public static class ServerCertificateValidator
{
    /// <summary>The validation callback for a connection; reads its CA file now.</summary>
    /// <exception cref="AuthenticationException">The CA file cannot be read.</exception>
    public static RemoteCertificateValidationCallback For(ConnectionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        X509Certificate2Collection? authorities = null;
        if (settings.SslCa is { } file && settings.SslMode is DtsSslMode.VerifyCA or DtsSslMode.VerifyFull)
        {
            try
            {
                authorities = TrustedAuthority.Load(file);
            }
            catch (InvalidDataException e)
            {
                throw new AuthenticationException($"The certificate authority file of this connection, {e.Message}", e);
            }
        }

        var mode = settings.SslMode;
        return (_, certificate, chain, errors) => Accepts(mode, authorities, certificate, chain, errors);
    }

    /// <summary>
    /// Whether to accept a certificate: any under None/Preferred/Required; under VerifyCA one whose chain is
    /// trusted (by the CA file when there is one, else by the system); under VerifyFull one that also names the host.
    /// </summary>
    public static bool Accepts(DtsSslMode mode, X509Certificate2Collection? authorities, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (mode is not (DtsSslMode.VerifyCA or DtsSslMode.VerifyFull))
        {
            return true;
        }

        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
        {
            return false;
        }

        var trusted = authorities is null ? (errors & SslPolicyErrors.RemoteCertificateChainErrors) == 0 : ChainEndsAt(authorities, certificate, chain);
        var named = mode == DtsSslMode.VerifyCA || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0;
        return trusted && named;
    }

    private static bool ChainEndsAt(X509Certificate2Collection authorities, X509Certificate certificate, X509Chain? sent)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        // Intermediates the server sent may complete the chain; only the file's authorities can end it.
        if (sent is not null)
        {
            foreach (var element in sent.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        if (certificate is X509Certificate2 typed)
        {
            return chain.Build(typed);
        }

        using var copy = new X509Certificate2(certificate);
        return chain.Build(copy);
    }
}
