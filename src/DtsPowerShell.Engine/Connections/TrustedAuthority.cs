using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DtsPowerShell.Engine.Connections;

/// <summary>
/// A PEM file of certificate authorities that SSL modes VerifyCA and VerifyFull trust instead of the system's
/// store: how a server certificate from a private CA (the usual case for MySQL) is verified.
/// </summary>
public static class TrustedAuthority
{
    private const string Remedy = "Give the certificate authority's certificate as a PEM file (-----BEGIN CERTIFICATE-----), the file the server's ssl_ca names.";

    /// <summary>Checks a CA file given for a connection; returns its full path.</summary>
    /// <param name="path">The file, already resolved to a full path.</param>
    /// <param name="mode">The connection's SSL mode, which must verify certificates.</param>
    /// <param name="parameter">The parameter the user gave it with, for the messages.</param>
    public static string Validate(string path, DtsSslMode mode, string parameter)
    {
        if (mode is not (DtsSslMode.VerifyCA or DtsSslMode.VerifyFull))
        {
            throw new DtsInputException($"-{parameter} is given, but SSL mode {mode} does not verify the server's certificate.",
                $"Use SSL mode VerifyCA (trust the authority) or VerifyFull (also check the host name) with -{parameter}, or leave -{parameter} out.");
        }

        try
        {
            Load(path);
        }
        catch (InvalidDataException e)
        {
            throw new DtsInputException($"-{parameter} {e.Message}", Remedy);
        }

        return Path.GetFullPath(path);
    }

    /// <summary>The certificates of a CA file; <see cref="InvalidDataException"/> when it cannot be read or holds none.</summary>
    public static X509Certificate2Collection Load(string path)
    {
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new InvalidDataException($"'{path}' cannot be read as PEM certificates: {e.Message}", e);
        }

        return certificates.Count > 0 ? certificates : throw new InvalidDataException($"'{path}' holds no certificate.");
    }
}
