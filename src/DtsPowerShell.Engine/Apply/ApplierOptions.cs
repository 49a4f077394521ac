namespace DtsPowerShell.Engine.Apply;

/// <summary>How the incremental applier batches source transactions into target transactions.</summary>
public sealed record ApplierOptions
{
    /// <summary>A target transaction commits once it holds this many row changes (at the next source transaction end).</summary>
    public int MaxBatchRows { get; init; } = 20_000;

    /// <summary>…or once it has been open this long; it also commits whenever the stream is idle.</summary>
    public TimeSpan MaxBatchDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>SQL text is sent to the target once it grows past this many characters (inside a large source transaction too).</summary>
    public int MaxStatementChars { get; init; } = 1 << 20;

    /// <summary>With nothing to apply, the checkpoint still moves forward this often (skipped transactions, heartbeats).</summary>
    public TimeSpan IdleCheckpointInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>What a change that finds the target's row not as the source had it does (see <see cref="Engine.ConflictPolicy"/>).</summary>
    public ConflictPolicy ConflictPolicy { get; init; } = ConflictPolicy.Fail;
}
