using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DtsPowerShell.TestServers;

/// <summary>A throw-away certificate authority and a server certificate for 127.0.0.1, as PEM files for mariadbd.</summary>
public static class TestCertificates
{
    private static readonly Lazy<(string Ca, string Certificate, string Key)> Files = new(Create);

    public static string CaPath => Files.Value.Ca;

    public static string CertificatePath => Files.Value.Certificate;

    public static string KeyPath => Files.Value.Key;

    /// <summary>A self-signed authority certificate that signed nothing of ours: what no test server's certificate chains to.</summary>
    public static X509Certificate2 SelfSigned(string subject)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static (string, string, string) Create()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"dts-tls-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(directory, recursive: true);

        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=DtsPowerShell test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));

        using var serverKey = RSA.Create(2048);
        var serverRequest = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        names.AddDnsName("localhost");
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        using var server = serverRequest.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddMonths(6), RandomNumberGenerator.GetBytes(8));

        var caPath = Path.Combine(directory, "ca.pem");
        var certificatePath = Path.Combine(directory, "server-cert.pem");
        var keyPath = Path.Combine(directory, "server-key.pem");
        File.WriteAllText(caPath, ca.ExportCertificatePem());
        File.WriteAllText(certificatePath, server.ExportCertificatePem());
        File.WriteAllText(keyPath, serverKey.ExportRSAPrivateKeyPem());
        return (caPath, certificatePath, keyPath);
    }
}
