using System.Security.Cryptography;
using System.Text;

namespace DtsPowerShell.Engine.State;

/// <summary>
/// Encrypts stored passwords with AES-GCM under a random key kept in an owner-only key file, so the state
/// file's bytes never hold a password. Each secret is bound to its job and field, so blobs cannot be swapped.
/// </summary>
internal sealed class SecretProtector
{
    private const byte FormatVersion = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] key;

    private SecretProtector(byte[] key) => this.key = key;

    /// <summary>
    /// Reads the key file, writing a new key where there is none, but never while <paramref name="holdsSecrets"/> says
    /// the state file holds passwords: they were encrypted with the missing key, and a new one would hide that.
    /// </summary>
    public static SecretProtector ForKeyFile(string keyPath, string statePath, Func<bool> holdsSecrets)
    {
        ArgumentNullException.ThrowIfNull(holdsSecrets);
        if (!File.Exists(keyPath) && holdsSecrets())
        {
            throw new InvalidOperationException(
                $"The key file '{keyPath}' is missing, and the state file '{statePath}' holds passwords encrypted with it, which cannot be read without it; no new key was written. " +
                "Restore the key file from a backup; or store the credentials again: remove the jobs (Remove-DtsSyncJob) and create them again with New-DtsSyncJob.");
        }

        OwnerOnlyFile.CreateIfMissing(keyPath, RandomNumberGenerator.GetBytes(32));
        var key = File.ReadAllBytes(keyPath);
        if (key.Length != 32)
        {
            throw new InvalidOperationException(
                $"The key file '{keyPath}' is damaged ({key.Length} bytes, 32 expected). Stored passwords cannot be read; " +
                "restore the key file from a backup, or remove the state file and its key file and create the jobs again.");
        }

        return new SecretProtector(key);
    }

    public byte[] Protect(string secret, string context)
    {
        var plain = Encoding.UTF8.GetBytes(secret);
        var output = new byte[1 + NonceSize + TagSize + plain.Length];
        output[0] = FormatVersion;
        var nonce = output.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plain, output.AsSpan(1 + NonceSize + TagSize), output.AsSpan(1 + NonceSize, TagSize), Encoding.UTF8.GetBytes(context));
        CryptographicOperations.ZeroMemory(plain);
        return output;
    }

    public string Unprotect(byte[] blob, string context)
    {
        if (blob.Length < 1 + NonceSize + TagSize || blob[0] != FormatVersion)
        {
            throw new InvalidOperationException($"A stored password ({context}) is in an unknown format.");
        }

        var plain = new byte[blob.Length - 1 - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        try
        {
            aes.Decrypt(blob.AsSpan(1, NonceSize), blob.AsSpan(1 + NonceSize + TagSize), blob.AsSpan(1 + NonceSize, TagSize), plain, Encoding.UTF8.GetBytes(context));
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new InvalidOperationException(
                $"A stored password ({context}) cannot be decrypted: the key file beside the state file is not the one it was stored with. " +
                "Restore that key file, or create the job again.");
        }

        return Encoding.UTF8.GetString(plain);
    }
}
