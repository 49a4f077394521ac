using System.Collections;
using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Text;

namespace DtsPowerShell.Engine.Sync;

/// <summary>
/// Starts a process on Windows that outlives the console and the job object of whoever started it: no console
/// (DETACHED_PROCESS), a process group of its own (Ctrl+C and closing the console do not reach it), and out of the
/// caller's job object (CREATE_BREAKAWAY_FROM_JOB) where that job allows it; where it does not, the process stays in
/// the job and ends with it. Process.Start cannot set these flags, hence CreateProcessW.
/// </summary>
internal static class WindowsDetachedProcess
{
    private const uint DetachedProcess = 0x00000008;
    private const uint CreateNewProcessGroup = 0x00000200;
    private const uint CreateUnicodeEnvironment = 0x00000400;
    private const uint CreateBreakawayFromJob = 0x01000000;
    private const int AccessDenied = 5;

    /// <returns>The new process's id.</returns>
    public static int Start(string application, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, string workingDirectory)
    {
        var commandLine = new StringBuilder(Quote(application));
        foreach (var argument in arguments)
        {
            commandLine.Append(' ').Append(Quote(argument));
        }

        var block = EnvironmentBlock(environment);
        var flags = DetachedProcess | CreateNewProcessGroup | CreateUnicodeEnvironment;
        if (TryCreate(application, commandLine.ToString(), flags | CreateBreakawayFromJob, block, workingDirectory, out var processId, out var error)
            || (error == AccessDenied && TryCreate(application, commandLine.ToString(), flags, block, workingDirectory, out processId, out error)))
        {
            return processId;
        }

        throw new Win32Exception(error, $"The worker '{application}' did not start.");
    }

    private static bool TryCreate(string application, string commandLine, uint flags, string environment, string workingDirectory, out int processId, out int error)
    {
        var startup = new StartupInfo { Size = Marshal.SizeOf<StartupInfo>() };
        var line = new StringBuilder(commandLine);
        if (!CreateProcessW(application, line, IntPtr.Zero, IntPtr.Zero, false, flags, environment, workingDirectory, ref startup, out var info))
        {
            processId = 0;
            error = Marshal.GetLastPInvokeError();
            return false;
        }

        CloseHandle(info.Thread);
        CloseHandle(info.Process);
        processId = info.ProcessId;
        error = 0;
        return true;
    }

    /// <summary>The caller's environment with <paramref name="additions"/> over it, sorted as Windows expects, each NAME=value NUL-ended, a NUL at the end.</summary>
    private static string EnvironmentBlock(IReadOnlyDictionary<string, string> additions)
    {
        var variables = new SortedDictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = (string?)entry.Value ?? "";
        }

        foreach (var (name, value) in additions)
        {
            variables[name] = value;
        }

        var block = new StringBuilder();
        foreach (var (name, value) in variables)
        {
            block.Append(name).Append('=').Append(value).Append('\0');
        }

        return block.Append('\0').ToString();
    }

    /// <summary>An argument as CommandLineToArgvW reads it back: quoted where needed, backslashes before a quote doubled.</summary>
    internal static string Quote(string argument)
    {
        if (argument.Length > 0 && argument.IndexOfAny([' ', '\t', '\n', '\v', '"']) < 0)
        {
            return argument;
        }

        var quoted = new StringBuilder("\"");
        var backslashes = 0;
        foreach (var c in argument)
        {
            if (c == '\\')
            {
                backslashes++;
                continue;
            }

            quoted.Append('\\', c == '"' ? (backslashes * 2) + 1 : backslashes).Append(c);
            backslashes = 0;
        }

        return quoted.Append('\\', backslashes * 2).Append('"').ToString();
    }

    [DllImport("kernel32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static extern bool CreateProcessW(
        string applicationName,
        StringBuilder commandLine,
        IntPtr processAttributes,
        IntPtr threadAttributes,
        [MarshalAs(UnmanagedType.Bool)] bool inheritHandles,
        uint creationFlags,
        string environment,
        string currentDirectory,
        ref StartupInfo startupInfo,
        out ProcessInformation processInformation);

    [DllImport("kernel32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static extern bool CloseHandle(IntPtr handle);

    [StructLayout(LayoutKind.Sequential, CharSet = CharSet.Unicode)]
    private struct StartupInfo
    {
        public int Size;
        public string? Reserved;
        public string? Desktop;
        public string? Title;
        public int X;
        public int Y;
        public int XSize;
        public int YSize;
        public int XCountChars;
        public int YCountChars;
        public int FillAttribute;
        public int Flags;
        public short ShowWindow;
        public short Reserved2Size;
        public IntPtr Reserved2;
        public IntPtr StdInput;
        public IntPtr StdOutput;
        public IntPtr StdError;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct ProcessInformation
    {
        public IntPtr Process;
        public IntPtr Thread;
        public int ProcessId;
        public int ThreadId;
    }
}
