using DtsPowerShell.Engine.Selection;
using DtsPowerShell.Engine.Connections;

namespace DtsPowerShell.Engine.Jobs;

/// <summary>A sync job as stored: what it syncs, from where to where, and how far it has come. Holds no password.</summary>
public sealed class SyncJob
{
    internal SyncJob(
        string id,
        string name,
        ServerEndpoint source,
        string sourceUser,
        DtsSslMode sourceSslMode,
        string? sourceSslCa,
        ServerEndpoint target,
        string targetUser,
        DtsSslMode targetSslMode,
        string? targetSslCa,
        ObjectSelection selection,
        IReadOnlyDictionary<string, string> mapping,
        InitialSync initialSync,
        SyncJobState state,
        DateTime createdAt,
        DateTime? lastPrecheckAt,
        string? startPosition,
        ConflictPolicy conflictPolicy,
        SyncOperations operations)
    {
        Id = id;
        Name = name;
        SourceEndpoint = source;
        SourceUser = sourceUser;
        SourceSslMode = sourceSslMode;
        SourceSslCa = sourceSslCa;
        TargetEndpoint = target;
        TargetUser = targetUser;
        TargetSslMode = targetSslMode;
        TargetSslCa = targetSslCa;
        Selection = selection;
        Mapping = new PrintableMap(mapping);
        NameMapping = NameMapping.Create(mapping, selection);
        InitialSync = initialSync;
        State = state;
        CreatedAt = createdAt;
        LastPrecheckAt = lastPrecheckAt;
        StartPosition = startPosition;
        ConflictPolicy = conflictPolicy;
        Operations = operations;
    }

    public string Id { get; }

    public string Name { get; }

    public string Source => SourceEndpoint.ToString();

    public string SourceUser { get; }

    public DtsSslMode SourceSslMode { get; }

    /// <summary>The CA file that verifies the source's certificate; null for the system's store.</summary>
    public string? SourceSslCa { get; }

    public string Target => TargetEndpoint.ToString();

    public string TargetUser { get; }

    public DtsSslMode TargetSslMode { get; }

    /// <summary>The CA file that verifies the target's certificate; null for the system's store.</summary>
    public string? TargetSslCa { get; }

    public IReadOnlyList<string> Objects => new PrintableList<string>(Selection.Objects.Select(o => o.ToString()));

    public IReadOnlyDictionary<string, string> Mapping { get; }

    public InitialSync InitialSync { get; }

    /// <summary>Where incremental-only sync starts (file:pos or GTID set); null for the source's position at the first start.</summary>
    public string? StartPosition { get; }

    /// <summary>What a change that finds the target's row not as the source had it does: stop (Fail), keep the target's row (Ignore), or make it the source's (Overwrite).</summary>
    public ConflictPolicy ConflictPolicy { get; }

    /// <summary>The kinds of change the job applies: Insert, Update, Delete, Ddl, or All; the others are left out on the target.</summary>
    public SyncOperations Operations { get; }

    public SyncJobState State { get; }

    /// <summary>When the job was created, in UTC.</summary>
    public DateTime CreatedAt { get; }

    /// <summary>When the last precheck finished, in UTC; null before the first.</summary>
    public DateTime? LastPrecheckAt { get; }

    internal ServerEndpoint SourceEndpoint { get; }

    internal ServerEndpoint TargetEndpoint { get; }

    internal ObjectSelection Selection { get; }

    internal NameMapping NameMapping { get; }

    public override string ToString() => $"{Name} ({Id})";
}
