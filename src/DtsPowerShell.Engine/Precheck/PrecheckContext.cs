using DtsPowerShell.Engine.Jobs;

namespace DtsPowerShell.Engine.Precheck;

/// <summary>What every check of one precheck run shares: the job, its open sessions and the selected source tables.</summary>
internal sealed class PrecheckContext(SyncJob job)
{
    public SyncJob Job { get; } = job;

    public ServerSession? Source { get; set; }

    public ServerSession? Target { get; set; }

    /// <summary>Selected base tables that exist on the source.</summary>
    public IReadOnlyList<SourceTable> Tables { get; set; } = [];

    /// <summary>Selected databases that exist on the source.</summary>
    public IReadOnlySet<string> ExistingDatabases { get; set; } = new HashSet<string>();

    public ServerSession SourceSession => Source ?? throw new InvalidOperationException("The source is not connected.");

    public ServerSession TargetSession => Target ?? throw new InvalidOperationException("The target is not connected.");

    /// <summary>The SQL list <c>(@d0, @d1, …)</c> of the selected databases, with its parameters.</summary>
    public (string List, (string, object?)[] Parameters) DatabaseParameters()
    {
        var databases = Job.Selection.Databases.ToArray();
        return ("(" + string.Join(", ", databases.Select((_, i) => $"@d{i}")) + ")",
                databases.Select((d, i) => ($"@d{i}", (object?)d)).ToArray());
    }
}
