using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace DtsPowerShell.LoadContext;

/// <summary>
/// Loads the module's assemblies (and SQLite's native library) from the module's own <c>bin</c> folder into
/// a context of their own, so a different MySqlConnector or SQLite loaded by another module cannot clash
/// with ours. Only this small assembly lives in PowerShell's default context.
/// </summary>
public sealed class ModuleLoadContext : AssemblyLoadContext
{
    private static readonly object Gate = new();
    private static ModuleLoadContext? instance;
    private readonly string binDirectory;

    private ModuleLoadContext(string binDirectory)
        : base("DtsPowerShell", isCollectible: false) => this.binDirectory = binDirectory;

    /// <summary>Loads the cmdlet assembly from <paramref name="binDirectory"/> (once per process) and returns it.</summary>
    public static Assembly Initialize(string binDirectory)
    {
        lock (Gate)
        {
            instance ??= new ModuleLoadContext(Path.GetFullPath(binDirectory));
            return instance.LoadFromAssemblyName(new AssemblyName("DtsPowerShell"));
        }
    }

    /// <summary>
    /// Runs the module's command line (<c>dts</c>, beside the cmdlets) in this process, in the module's context: how
    /// the worker runs where no <c>dotnet</c> host exists (PowerShell as Microsoft ships it is self-contained).
    /// </summary>
    /// <returns>Its exit code.</returns>
    public static int RunTool(string binDirectory, string[] args)
    {
        Initialize(binDirectory);
        var tool = instance!.LoadFromAssemblyPath(Path.Combine(instance.binDirectory, "dts.dll"));
        return tool.EntryPoint!.Invoke(null, [args]) is int code ? code : 0;
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        // PowerShell's own assembly must be the host's, or our cmdlets would not be cmdlets to it; so must the JSON
        // library whose attribute our enumerations carry, or ConvertTo-Json would not recognise it.
        if (assemblyName.Name is null or "System.Management.Automation" or "Newtonsoft.Json")
        {
            return null;
        }

        var path = Path.Combine(binDirectory, assemblyName.Name + ".dll");
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        foreach (var candidate in NativeCandidates(unmanagedDllName))
        {
            if (File.Exists(candidate))
            {
                return LoadUnmanagedDllFromPath(candidate);
            }
        }

        return IntPtr.Zero;
    }

    private IEnumerable<string> NativeCandidates(string name)
    {
        var fileNames = OperatingSystem.IsWindows() ? new[] { name, name + ".dll" }
            : OperatingSystem.IsMacOS() ? new[] { name, "lib" + name + ".dylib", name + ".dylib" }
            : new[] { name, "lib" + name + ".so", name + ".so" };
        var arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        var rids = new[] { RuntimeInformation.RuntimeIdentifier, $"{os}-{arch}", $"{os}-musl-{arch}" }.Distinct();
        foreach (var rid in rids)
        {
            foreach (var file in fileNames)
            {
                yield return Path.Combine(binDirectory, "runtimes", rid, "native", file);
            }
        }

        foreach (var file in fileNames)
        {
            yield return Path.Combine(binDirectory, file);
        }
    }
}
