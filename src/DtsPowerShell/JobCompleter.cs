using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using DtsPowerShell.Engine;
using DtsPowerShell.Engine.State;

namespace DtsPowerShell;

/// <summary>
/// Completes -Name and -Id with the jobs of the state file the command would open (its -StatePath as typed, else
/// DTS_STATE_PATH, else the profile's); a file that is missing or cannot be opened completes nothing.
/// </summary>
public sealed class JobCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        ArgumentNullException.ThrowIfNull(fakeBoundParameters);
        var typed = fakeBoundParameters["StatePath"] as string;
        if (typed is { Length: > 0 } && !Path.IsPathRooted(typed) && System.Management.Automation.Runspaces.Runspace.DefaultRunspace is { } runspace)
        {
            // Relative to the session's location, as the command itself takes it.
            typed = Path.Combine(runspace.SessionStateProxy.Path.CurrentFileSystemLocation.ProviderPath, typed);
        }

        var path = StatePaths.Resolve(typed);
        if (!File.Exists(path))
        {
            return [];
        }

        IReadOnlyList<Engine.Jobs.SyncJob> jobs;
        try
        {
            jobs = StateStore.Open(path).Jobs.List();
        }
        catch (Exception e) when (e is DtsInputException or IOException or UnauthorizedAccessException or InvalidOperationException or Microsoft.Data.Sqlite.SqliteException)
        {
            return [];
        }

        var word = (wordToComplete ?? "").Trim('\'', '"');
        var byId = string.Equals(parameterName, "Id", StringComparison.OrdinalIgnoreCase);
        return jobs
            .Select(j => (Value: byId ? j.Id : j.Name, Other: byId ? j.Name : j.Id, j.Source, j.Target))
            .Where(j => j.Value.StartsWith(word, StringComparison.OrdinalIgnoreCase))
            .OrderBy(j => j.Value, StringComparer.OrdinalIgnoreCase)
            .Select(j => new CompletionResult(Quote(j.Value), j.Value, CompletionResultType.ParameterValue, $"{j.Value} ({j.Other}): {j.Source} -> {j.Target}"));
    }

    private static string Quote(string value) =>
        value.All(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.') ? value : "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
