using DtsPowerShell.Engine.Connections;
using DtsPowerShell.Engine.Selection;

namespace DtsPowerShell.Engine.Jobs;

/// <summary>
/// What Set-DtsSyncJob asks to change in a stored job; a null field stays as it is. CA files are given as full paths,
/// an empty one for the system's store. <see cref="Objects"/> replaces the objects; <see cref="AddObjects"/> and
/// <see cref="RemoveObjects"/> change them. Without <see cref="Mapping"/> the job keeps its mapping, less the entries of
/// objects no longer selected.
/// </summary>
public sealed record SyncJobChange
{
    public string? Name { get; init; }

    public (string User, string Password)? SourceLogin { get; init; }

    public (string User, string Password)? TargetLogin { get; init; }

    public DtsSslMode? SourceSslMode { get; init; }

    public DtsSslMode? TargetSslMode { get; init; }

    public string? SourceSslCa { get; init; }

    public string? TargetSslCa { get; init; }

    public IReadOnlyList<string>? Objects { get; init; }

    public IReadOnlyList<string>? AddObjects { get; init; }

    public IReadOnlyList<string>? RemoveObjects { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>>? Mapping { get; init; }

    public ConflictPolicy? ConflictPolicy { get; init; }

    public IReadOnlyList<SyncOperations>? Operations { get; init; }

    /// <summary>
    /// The job as changed, with its stored connections <paramref name="source"/> and <paramref name="target"/>, and the
    /// names of the parts that differ (empty when nothing does). <paramref name="hasRun"/>: the job has synced, so the
    /// objects it keeps must keep their target names.
    /// </summary>
    /// <exception cref="DtsInputException">The change is not one the job can take; the message says why and what to do.</exception>
    public (SyncJobDefinition Definition, IReadOnlyList<string> Changed) ApplyTo(SyncJob job, ConnectionSettings source, ConnectionSettings target, bool hasRun)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        var changed = new List<string>();
        var name = Name?.Trim() ?? job.Name;
        if (name.Length == 0)
        {
            throw new DtsInputException("-NewName is blank.", "Give a name with at least one visible character.");
        }

        Note(changed, name != job.Name, "name");
        var newSource = Connection(source, SourceLogin, SourceSslMode, SourceSslCa, "Source", changed);
        var newTarget = Connection(target, TargetLogin, TargetSslMode, TargetSslCa, "Target", changed);
        var selection = Selection(job);
        Note(changed, !selection.Objects.SequenceEqual(job.Selection.Objects), "objects");
        var mapping = NameMapping.Create(Mapping ?? job.Mapping.Where(e => NameMapping.KeyNames(e.Key, selection)), selection);
        Note(changed, !mapping.Entries.ToHashSet().SetEquals(job.Mapping), "mapping");
        if (hasRun)
        {
            RefuseRenamingKept(job, selection, mapping);
        }

        var policy = ConflictPolicy ?? job.ConflictPolicy;
        Note(changed, policy != job.ConflictPolicy, "conflict policy");
        var operations = SyncOperationChoice.Combine(Operations) ?? job.Operations;
        Note(changed, operations != job.Operations, "operations");
        return (new SyncJobDefinition(name, newSource, newTarget, selection, mapping, job.InitialSync, job.StartPosition, policy, operations), changed);
    }

    /// <summary>Whether a change of these parts needs the job checked again (connections, accounts, objects).</summary>
    public static bool NeedsPrecheck(IEnumerable<string> changed) => changed.Any(c => c is not ("name" or "conflict policy" or "operations"));

    private static ConnectionSettings Connection(ConnectionSettings stored, (string User, string Password)? login, DtsSslMode? sslMode, string? sslCa, string side, List<string> changed)
    {
        var (user, password) = login ?? (stored.User, stored.Password);
        if (user.Length == 0)
        {
            throw new DtsInputException($"-{side}Credential has no user name.", $"Give a credential with a user name: -{side}Credential (Get-Credential).");
        }

        Note(changed, user != stored.User || password != stored.Password, $"{side.ToLowerInvariant()} credentials");
        var mode = sslMode ?? stored.SslMode;
        // A CA file belongs to the verifying modes: a mode without verification drops the stored one (a given one is refused).
        var ca = sslCa switch
        {
            null => mode is DtsSslMode.VerifyCA or DtsSslMode.VerifyFull ? stored.SslCa : null,
            "" => null,
            _ => TrustedAuthority.Validate(sslCa, mode, $"{side}SslCa"),
        };
        Note(changed, mode != stored.SslMode || ca != stored.SslCa, $"{side.ToLowerInvariant()} TLS");
        return new ConnectionSettings(stored.Endpoint, user, password, mode, ca);
    }

    private ObjectSelection Selection(SyncJob job)
    {
        if (Objects is not null && (AddObjects is not null || RemoveObjects is not null))
        {
            throw new DtsInputException("-Object replaces all the job's objects; it cannot be combined with -AddObject or -RemoveObject.", "Give -Object alone, or -AddObject and -RemoveObject.");
        }

        var objects = Objects is not null ? Objects.Select(SelectedObject.Parse).ToList() : [.. job.Selection.Objects];
        foreach (var removed in (RemoveObjects ?? []).Select(SelectedObject.Parse))
        {
            if (!objects.Remove(removed))
            {
                throw new DtsInputException($"Sync job '{job.Name}' does not name '{removed}' among its objects.", $"Name objects as the job does: {string.Join(", ", job.Objects)}.");
            }
        }

        objects.AddRange((AddObjects ?? []).Select(SelectedObject.Parse));
        return new ObjectSelection(objects);
    }

    /// <summary>The target's tables are not renamed: an object the job keeps keeps its target names. A new name comes with removing the object and adding it again.</summary>
    private static void RefuseRenamingKept(SyncJob job, ObjectSelection selection, NameMapping mapping)
    {
        var kept = job.Selection.Objects.Where(selection.Objects.Contains).ToList();
        if (kept.Count == 0)
        {
            return;
        }

        var keptSelection = new ObjectSelection(kept);
        var before = job.Mapping.Where(e => NameMapping.KeyNames(e.Key, keptSelection)).ToHashSet();
        var after = mapping.Entries.Where(e => NameMapping.KeyNames(e.Key, keptSelection)).ToHashSet();
        if (!before.SetEquals(after))
        {
            var keys = before.Except(after).Concat(after.Except(before)).Select(e => e.Key).Distinct().Order(StringComparer.Ordinal);
            throw new DtsInputException(
                $"Sync job '{job.Name}' has synced, and the mapping would give what it keeps syncing other names on the target ({string.Join(", ", keys)}).",
                "Keep the target names of the objects the job keeps. To move an object to a new name, remove it (-RemoveObject), then add it again (-AddObject) with its new mapping: it is copied anew.");
        }
    }

    private static void Note(List<string> changed, bool differs, string part)
    {
        if (differs && !changed.Contains(part))
        {
            changed.Add(part);
        }
    }
}
