using DtsPowerShell.Engine.Connections;
using DtsPowerShell.Engine.Selection;

namespace DtsPowerShell.Engine.Jobs;

/// <summary>
/// What a new job is made of; <see cref="Name"/> null means one is generated. <see cref="StartPosition"/> (file:pos or a
/// GTID set) is where incremental-only sync starts; null means the source's position when the job first starts.
/// <see cref="ConflictPolicy"/> is what a change that finds the target's row not as the source had it does;
/// <see cref="Operations"/> the kinds of change it applies.
/// </summary>
public sealed record SyncJobDefinition(
    string? Name,
    ConnectionSettings Source,
    ConnectionSettings Target,
    ObjectSelection Selection,
    NameMapping Mapping,
    InitialSync InitialSync,
    string? StartPosition = null,
    ConflictPolicy ConflictPolicy = ConflictPolicy.Fail,
    SyncOperations Operations = SyncOperations.All);
