using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using DtsPowerShell.Engine.Connections;
using DtsPowerShell.TestServers;

namespace DtsPowerShell.Engine.Tests.Certificates;

/// <summary>
/// How a server certificate is judged: the TLS layer reports what the system thinks (chain errors, name mismatch);
/// the SSL mode and the CA file decide. Each case states the system's opinion explicitly.
/// </summary>
public sealed class ServerCertificateValidatorTests : IDisposable
{
    private readonly X509Certificate2 server = X509Certificate2.CreateFromPem(File.ReadAllText(TestCertificates.CertificatePath));
    private readonly X509Certificate2Collection authority = TrustedAuthority.Load(TestCertificates.CaPath);
    private readonly X509Certificate2 stranger = TestCertificates.SelfSigned("CN=127.0.0.1");

    [Theory]
    [InlineData(DtsSslMode.None)]
    [InlineData(DtsSslMode.Preferred)]
    [InlineData(DtsSslMode.Required)]
    public void Modes_that_do_not_verify_take_any_certificate(DtsSslMode mode) =>
        Assert.True(ServerCertificateValidator.Accepts(mode, null, stranger, null, SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch));

    [Fact]
    public void Without_a_ca_file_the_system_decides_the_chain()
    {
        Assert.True(ServerCertificateValidator.Accepts(DtsSslMode.VerifyCA, null, server, null, SslPolicyErrors.RemoteCertificateNameMismatch));
        Assert.False(ServerCertificateValidator.Accepts(DtsSslMode.VerifyCA, null, server, null, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.False(ServerCertificateValidator.Accepts(DtsSslMode.VerifyFull, null, server, null, SslPolicyErrors.RemoteCertificateNameMismatch));
    }

    [Fact]
    public void A_ca_file_trusts_what_its_authority_signed_though_the_system_does_not()
    {
        Assert.True(ServerCertificateValidator.Accepts(DtsSslMode.VerifyCA, authority, server, null, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.True(ServerCertificateValidator.Accepts(DtsSslMode.VerifyFull, authority, server, null, SslPolicyErrors.RemoteCertificateChainErrors));
    }

    [Fact]
    public void A_ca_file_replaces_the_system_trust_instead_of_adding_to_it()
    {
        // The system would take this certificate (no errors); it is not from the file's authority.
        Assert.False(ServerCertificateValidator.Accepts(DtsSslMode.VerifyCA, authority, stranger, null, SslPolicyErrors.None));
    }

    [Fact]
    public void VerifyFull_refuses_a_certificate_for_another_host_whatever_authority_signed_it()
    {
        Assert.False(ServerCertificateValidator.Accepts(DtsSslMode.VerifyFull, authority, server, null, SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch));
        Assert.True(ServerCertificateValidator.Accepts(DtsSslMode.VerifyCA, authority, server, null, SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch));
    }

    [Fact]
    public void No_certificate_is_never_enough_to_verify() =>
        Assert.False(ServerCertificateValidator.Accepts(DtsSslMode.VerifyCA, authority, null, null, SslPolicyErrors.RemoteCertificateNotAvailable));

    [Fact]
    public void A_ca_file_that_went_missing_after_the_job_was_made_fails_the_connection_with_its_name()
    {
        var settings = new ConnectionSettings(new ServerEndpoint("127.0.0.1", 3306), "u", "p", DtsSslMode.VerifyCA, "/nonexistent/ca.pem");
        var error = Assert.Throws<System.Security.Authentication.AuthenticationException>(() => ServerCertificateValidator.For(settings));
        Assert.Contains("/nonexistent/ca.pem", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        server.Dispose();
        stranger.Dispose();
        foreach (var certificate in authority)
        {
            certificate.Dispose();
        }
    }
}
