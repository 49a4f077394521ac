using System.Security.Cryptography;
using System.Text;
using DtsPowerShell.Engine.Protocol;

namespace DtsPowerShell.Engine.Tests.Protocol;

public class AuthenticationScramblesTests
{
    private static readonly byte[] Scramble = Encoding.ASCII.GetBytes("0123456789abcdefghij");

    // The server checks a proof by undoing the XOR with its stored hash; these tests do the same.
    [Fact]
    public void Native_password_proof_lets_the_server_recover_sha1_of_the_password()
    {
        var proof = AuthenticationScrambles.NativePassword("secret", Scramble);
        var stored = SHA1.HashData(SHA1.HashData(Encoding.UTF8.GetBytes("secret")));
        var mask = SHA1.HashData([.. Scramble, .. stored]);
        var stage1 = proof.Zip(mask, (a, b) => (byte)(a ^ b)).ToArray();
        Assert.Equal(stored, SHA1.HashData(stage1));
    }

    [Fact]
    public void Caching_sha2_proof_lets_the_server_recover_sha256_of_the_password()
    {
        var proof = AuthenticationScrambles.CachingSha2Password("secret", Scramble);
        var stored = SHA256.HashData(SHA256.HashData(Encoding.UTF8.GetBytes("secret")));
        var mask = SHA256.HashData([.. stored, .. Scramble]);
        var stage1 = proof.Zip(mask, (a, b) => (byte)(a ^ b)).ToArray();
        Assert.Equal(stored, SHA256.HashData(stage1));
    }

    [Fact]
    public void Empty_passwords_send_no_proof()
    {
        Assert.Empty(AuthenticationScrambles.NativePassword("", Scramble));
        Assert.Empty(AuthenticationScrambles.CachingSha2Password("", Scramble));
    }

    [Fact]
    public void Rsa_encrypted_password_decrypts_to_the_password_xor_the_scramble()
    {
        using var rsa = RSA.Create(2048);
        var encrypted = AuthenticationScrambles.RsaEncryptedPassword("secret", Scramble, rsa.ExportSubjectPublicKeyInfoPem());
        var plain = rsa.Decrypt(encrypted, RSAEncryptionPadding.OaepSHA1);
        var password = plain.Select((b, i) => (byte)(b ^ Scramble[i % Scramble.Length])).ToArray();
        Assert.Equal("secret\0", Encoding.UTF8.GetString(password));
    }
}
