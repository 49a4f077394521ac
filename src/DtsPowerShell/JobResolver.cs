using System.Management.Automation;
using DtsPowerShell.Engine.Jobs;

namespace DtsPowerShell;

/// <summary>Finds jobs by name (wildcards allowed) or id, writing a not-found error for each name without a wildcard that matches nothing.</summary>
internal static class JobResolver
{
    public static IEnumerable<SyncJob> Resolve(DtsCmdlet cmdlet, Engine.State.SyncJobRepository jobs, string[]? names, string[]? ids)
    {
        var all = jobs.List();
        var found = new List<SyncJob>();
        foreach (var id in ids ?? [])
        {
            var match = all.FirstOrDefault(j => string.Equals(j.Id, id, StringComparison.OrdinalIgnoreCase));
            if (match is null)
            {
                cmdlet.WriteError(NotFound($"No sync job has the id '{id}'.", id));
            }
            else
            {
                found.Add(match);
            }
        }

        foreach (var name in names ?? [])
        {
            var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
            var matches = all.Where(j => pattern.IsMatch(j.Name)).ToList();
            if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
            {
                cmdlet.WriteError(NotFound($"No sync job is named '{name}'.", name));
            }

            found.AddRange(matches);
        }

        return found.DistinctBy(j => j.Id);
    }

    /// <summary>The piped jobs, those named or with the ids given, or every job when neither names nor ids are.</summary>
    public static IEnumerable<SyncJob> ResolveOrEvery(DtsCmdlet cmdlet, Engine.State.SyncJobRepository jobs, string parameterSet, SyncJob[] piped, string[]? names, string[]? ids) =>
        parameterSet == JobParameterSets.ByInputObject ? piped
            : names is null && ids is null ? jobs.List()
            : Resolve(cmdlet, jobs, names, ids);

    /// <summary>A job object (piped, perhaps from another state file) whose id this state file does not hold.</summary>
    public static ErrorRecord NotInStateFile(SyncJob job, string statePath) =>
        NotFound($"Sync job '{job.Name}' ({job.Id}) is not in the state file '{statePath}'.", job,
            "Give the -StatePath the job was created with, or run Get-DtsSyncJob to list the jobs in this state file.");

    /// <summary>A job whose stored passwords cannot be decrypted.</summary>
    public static ErrorRecord CredentialsUnreadable(InvalidOperationException error, SyncJob job, string statePath) =>
        new(error, "CredentialsUnreadable", ErrorCategory.ReadError, job)
        {
            ErrorDetails = new ErrorDetails(error.Message) { RecommendedAction = $"Restore the key file '{statePath}.key' the job was created with, or remove the job and create it again." },
        };

    private static ErrorRecord NotFound(string message, object target, string remedy = "Run Get-DtsSyncJob to list the jobs in this state file, or check -StatePath.") =>
        new(new ItemNotFoundException(message), "JobNotFound", ErrorCategory.ObjectNotFound, target)
        {
            ErrorDetails = new ErrorDetails(message) { RecommendedAction = remedy },
        };
}
