using DtsPowerShell.Engine.Binlog;

namespace DtsPowerShell.Engine.Apply;

/// <summary>How far a job has come, as the target holds it.</summary>
/// <param name="Phase">What the job does next: initialise data, or apply the binlog.</param>
/// <param name="Position">Incremental sync resumes here (null before the data initialisation has fixed it).</param>
public sealed record Checkpoint(SyncPhase Phase, BinlogPosition? Position);

/// <summary>The stages of a job that the target's checkpoint remembers.</summary>
public enum SyncPhase
{
    Schema,
    Data,
    Incremental,

    /// <summary>Start over (Start-DtsSync -Resync): read the schema and copy every table from a new snapshot.</summary>
    Resync,
}

/// <summary>
/// The copy of one table in the data initialisation: its rows are consistent with the source at <see cref="From"/>
/// (changes before are in the copy, after are not); changes up to <see cref="SafeUntil"/> may already be in it and are
/// replayed idempotently. <see cref="LastKey"/> is the key of the last row copied, as SQL literals, for resuming.
/// </summary>
public sealed record TableCopyState(string Database, string Table, BinlogPosition From, BinlogPosition SafeUntil, IReadOnlyList<string>? LastKey, long RowsCopied, bool Done)
{
    /// <summary>A table marked to be copied (again) with nothing copied yet: its copy takes a snapshot of its own.</summary>
    public static TableCopyState ToCopy(string database, string table, BinlogPosition position) => new(database, table, position, position, null, 0, false);

    /// <summary>A table whose changes from <paramref name="position"/> on are applied without a copy.</summary>
    public static TableCopyState Copied(string database, string table, BinlogPosition position) => new(database, table, position, position, null, 0, true);

    /// <summary>Marked by <see cref="ToCopy"/>: no chunk of it has been copied.</summary>
    public bool IsToCopy => this is { Done: false, LastKey: null, RowsCopied: 0 };
}
