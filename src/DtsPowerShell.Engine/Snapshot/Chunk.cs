namespace DtsPowerShell.Engine.Snapshot;

/// <summary>One chunk of a table copy: its rows as INSERT statements or LOAD DATA text, and the key of its last row (SQL literals).</summary>
internal sealed record Chunk(IReadOnlyList<string> Statements, byte[]? Data, int Rows, IReadOnlyList<string>? LastKey, bool Last);
