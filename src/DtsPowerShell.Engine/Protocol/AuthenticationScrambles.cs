using System.Security.Cryptography;
using System.Text;

namespace DtsPowerShell.Engine.Protocol;

/// <summary>The password proofs of MySQL's authentication plugins.</summary>
internal static class AuthenticationScrambles
{
    /// <summary>mysql_native_password: SHA1(password) XOR SHA1(scramble + SHA1(SHA1(password))).</summary>
    public static byte[] NativePassword(string password, ReadOnlySpan<byte> scramble)
    {
        RequireScramble(scramble);
        if (password.Length == 0)
        {
            return [];
        }

        var stage1 = SHA1.HashData(Encoding.UTF8.GetBytes(password));
        var stage2 = SHA1.HashData(stage1);
        var proof = SHA1.HashData([.. scramble[..20], .. stage2]);
        return Xor(stage1, proof);
    }

    /// <summary>caching_sha2_password: SHA256(password) XOR SHA256(SHA256(SHA256(password)) + scramble).</summary>
    public static byte[] CachingSha2Password(string password, ReadOnlySpan<byte> scramble)
    {
        RequireScramble(scramble);
        if (password.Length == 0)
        {
            return [];
        }

        var stage1 = SHA256.HashData(Encoding.UTF8.GetBytes(password));
        var stage2 = SHA256.HashData(stage1);
        var proof = SHA256.HashData([.. stage2, .. scramble[..20]]);
        return Xor(stage1, proof);
    }

    /// <summary>The password (NUL-terminated) XOR the scramble, encrypted with the server's RSA public key (OAEP, SHA-1).</summary>
    public static byte[] RsaEncryptedPassword(string password, ReadOnlySpan<byte> scramble, string publicKeyPem)
    {
        var plain = Encoding.UTF8.GetBytes(password + "\0");
        for (var i = 0; i < plain.Length; i++)
        {
            plain[i] ^= scramble[i % scramble.Length];
        }

        using var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(publicKeyPem);
            return rsa.Encrypt(plain, RSAEncryptionPadding.OaepSHA1);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            throw new InvalidDataException($"The server's RSA public key cannot be used: {e.Message}", e);
        }
    }

    private static void RequireScramble(ReadOnlySpan<byte> scramble)
    {
        if (scramble.Length < 20)
        {
            throw new InvalidDataException($"The server's scramble has {scramble.Length} bytes; 20 are needed.");
        }
    }

    private static byte[] Xor(byte[] left, byte[] right)
    {
        var result = new byte[left.Length];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = (byte)(left[i] ^ right[i]);
        }

        return result;
    }
}
