using DtsPowerShell.Engine.Connections;
using DtsPowerShell.Engine.Selection;

namespace DtsPowerShell.Engine.Jobs;

/// <summary>What a new job is made of; <see cref="Name"/> null means one is generated.</summary>
public sealed record SyncJobDefinition(
    string? Name,
    ConnectionSettings Source,
    ConnectionSettings Target,
    ObjectSelection Selection,
    NameMapping Mapping,
    InitialSync InitialSync);
