namespace DtsPowerShell.Engine.State;

/// <summary>Where the state file lives: the given path, else <c>DTS_STATE_PATH</c>, else the user's profile.</summary>
public static class StatePaths
{
    public const string EnvironmentVariable = "DTS_STATE_PATH";

    public static string Resolve(string? explicitPath)
    {
        var path = !string.IsNullOrWhiteSpace(explicitPath) ? explicitPath
            : Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment
            : Default;
        return Path.GetFullPath(path);
    }

    /// <summary>The state file in the user's profile: the one place whose folder is created when missing.</summary>
    public static string Default =>
        Path.GetFullPath(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "DtsPowerShell", "state.db"));

    /// <summary>The key that protects stored passwords sits beside the state file, owner-only like it.</summary>
    public static string KeyPathFor(string statePath) => statePath + ".key";
}
