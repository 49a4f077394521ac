using System.Diagnostics;
using System.Runtime.InteropServices;

namespace DtsPowerShell.Engine.Sync;

/// <summary>
/// Starts a job's worker (the <c>dts</c> host, <c>dts worker</c>) detached from the caller: no console, its own
/// session on Linux and macOS (it calls setsid itself), on Windows its own process group out of the caller's job object
/// where that allows it (<see cref="WindowsDetachedProcess"/>), so it outlives the PowerShell session that started it. A
/// worker is known by its process id together with its start time (on Linux the start in clock ticks since boot,
/// which a change of the wall clock does not move), so a reused id is never taken for it.
/// </summary>
public static class WorkerProcess
{
    public const string PathVariable = "DTS_WORKER_PATH";

    /// <summary>Starts the worker of a job; <paramref name="environment"/> adds variables to its environment (tests arm failpoints so).</summary>
    public static (int ProcessId, string Identity) Start(string statePath, string jobId, IReadOnlyDictionary<string, string>? environment = null)
    {
        var worker = WorkerAssembly();
        var arguments = new[] { "worker", "--state", statePath, "--job", jobId };
        var (host, hostArguments) = Host(worker, arguments);
        var start = new ProcessStartInfo(host)
        {
            UseShellExecute = false,
            CreateNoWindow = true,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(statePath)!,
        };
        // dts runs its batch tools fully optimised from the start; a long-running worker starts faster tiered (with dynamic PGO).
        start.Environment["DOTNET_TieredCompilation"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        foreach (var argument in hostArguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (OperatingSystem.IsWindows())
        {
            var environmentOfWorker = new Dictionary<string, string>(environment ?? new Dictionary<string, string>()) { ["DOTNET_TieredCompilation"] = "1" };
            using var detached = Process.GetProcessById(WindowsDetachedProcess.Start(host, hostArguments, environmentOfWorker, start.WorkingDirectory));
            return (detached.Id, IdentityOf(detached));
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"The worker '{worker}' did not start.");
        process.StandardInput.Close();
        return (process.Id, IdentityOf(process));
    }

    /// <summary>What tells this process from any later one with the same id: its start.</summary>
    public static string IdentityOf(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        if (OperatingSystem.IsLinux() && File.Exists($"/proc/{process.Id}/stat"))
        {
            // Field 22 of /proc/<pid>/stat, after the parenthesised command name (which may hold spaces).
            var stat = File.ReadAllText($"/proc/{process.Id}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return "ticks:" + fields[19];
        }

        return "utc:" + process.StartTime.ToUniversalTime().Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Whether the process with this id is the worker with that identity, and still runs.</summary>
    public static bool IsAlive(int processId, string identity)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited && IdentityOf(process) == identity;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    /// <summary>Kills the worker (when it is still that worker) and waits for it to go.</summary>
    public static void Kill(int processId, string identity, TimeSpan wait)
    {
        if (!IsAlive(processId, identity))
        {
            return;
        }

        using var process = Process.GetProcessById(processId);
        process.Kill(entireProcessTree: true);
        process.WaitForExit(wait);
    }

    /// <summary>Makes the calling worker the leader of a new session, away from the terminal of whoever started it.</summary>
    public static void Detach()
    {
        if (!OperatingSystem.IsWindows())
        {
            _ = setsid();
        }
    }

    private static string WorkerAssembly()
    {
        if (Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } configured)
        {
            return configured;
        }

        // The worker shares the folder of the engine's assembly (the module's bin/, a test's output).
        var here = Path.GetDirectoryName(typeof(WorkerProcess).Assembly.Location)!;
        var worker = Path.Combine(here, "dts.dll");
        return File.Exists(worker)
            ? worker
            : throw new FileNotFoundException($"The sync worker (dts.dll) is not installed beside the module's assemblies in '{here}'. Reinstall the module, or set {PathVariable} to the worker's dts.dll.");
    }

    /// <summary>
    /// What runs the worker: the .NET host (<c>dotnet dts.dll</c>) of the runtime this process runs on, or, where that
    /// runtime is an application's own (PowerShell as Microsoft ships it, self-contained: no <c>dotnet</c> anywhere),
    /// that PowerShell, hosting the worker through the module's load context. Never a PATH lookup.
    /// </summary>
    private static (string Host, IReadOnlyList<string> Arguments) Host(string worker, IReadOnlyList<string> arguments)
    {
        var runtime = RuntimeEnvironment.GetRuntimeDirectory();
        if (DotnetHost(runtime) is { } dotnet)
        {
            return (dotnet, [worker, .. arguments]);
        }

        var pwsh = SelfContainedPowerShell(runtime)
            ?? throw new FileNotFoundException($"No .NET host (dotnet) belongs to the runtime in '{runtime}', and no PowerShell is beside it to host the worker.");
        var bin = Path.GetDirectoryName(worker)!;
        var loader = Path.GetFullPath(Path.Combine(bin, "..", "DtsPowerShell.LoadContext.dll"));
        var command = $"Add-Type -Path {PowerShellQuote(loader)}; " +
            $"exit [DtsPowerShell.LoadContext.ModuleLoadContext]::RunTool({PowerShellQuote(bin)}, @({string.Join(", ", arguments.Select(PowerShellQuote))}))";
        return (pwsh, ["-NoLogo", "-NoProfile", "-NonInteractive", "-Command", command]);
    }

    /// <summary>The <c>dotnet</c> of the running process or of its shared runtime (<c>&lt;root&gt;/shared/Microsoft.NETCore.App/&lt;version&gt;/</c>), or null.</summary>
    private static string? DotnetHost(string runtimeDirectory)
    {
        var name = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        if (Environment.ProcessPath is { } current && Path.GetFileName(current).Equals(name, StringComparison.OrdinalIgnoreCase))
        {
            return current;
        }

        var host = Path.GetFullPath(Path.Combine(runtimeDirectory, "..", "..", "..", name));
        return File.Exists(host) ? host : null;
    }

    /// <summary>A self-contained PowerShell's runtime is its own folder, pwsh beside it.</summary>
    private static string? SelfContainedPowerShell(string runtimeDirectory)
    {
        var pwsh = Path.Combine(runtimeDirectory, OperatingSystem.IsWindows() ? "pwsh.exe" : "pwsh");
        return File.Exists(pwsh) ? pwsh : null;
    }

    private static string PowerShellQuote(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    [DllImport("libc", SetLastError = true)]
    private static extern int setsid();
}
