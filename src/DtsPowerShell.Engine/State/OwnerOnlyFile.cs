using System.Security.AccessControl;
using System.Security.Principal;

namespace DtsPowerShell.Engine.State;

/// <summary>Creates files and folders that only their owner may read or write (mode 0600/0700, or an owner-only ACL on Windows).</summary>
internal static class OwnerOnlyFile
{
    public static void EnsureDirectory(string directory)
    {
        if (Directory.Exists(directory))
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>Creates an empty owner-only file unless it exists; true when it was created here.</summary>
    public static bool CreateIfMissing(string path, ReadOnlySpan<byte> content = default)
    {
        EnsureDirectory(Path.GetDirectoryName(path)!);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using var stream = new FileStream(path, options);
            if (OperatingSystem.IsWindows())
            {
                RestrictToOwner(stream);
            }

            stream.Write(content);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
    }

    [System.Runtime.Versioning.SupportedOSPlatform("windows")]
    private static void RestrictToOwner(FileStream stream)
    {
        var security = new FileSecurity();
        security.SetAccessRuleProtection(isProtected: true, preserveInheritance: false);
        var owner = WindowsIdentity.GetCurrent().User!;
        security.SetOwner(owner);
        security.AddAccessRule(new FileSystemAccessRule(owner, FileSystemRights.FullControl, AccessControlType.Allow));
        stream.SetAccessControl(security);
    }
}
