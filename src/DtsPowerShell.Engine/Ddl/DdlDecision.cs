namespace DtsPowerShell.Engine.Ddl;

/// <summary>What the sync does with a statement from the source's binlog.</summary>
public enum DdlOutcome
{
    /// <summary>It does not concern the selected objects: nothing is done or recorded.</summary>
    Ignored,

    /// <summary>Not applied (a statement the sync does not apply, or one the selection's rules leave out); recorded in the history.</summary>
    Skipped,

    /// <summary>Applied on the target under the target's names.</summary>
    Applied,

    /// <summary>Applied, with a warning in the history (a table renamed out of the selection).</summary>
    Warned,

    /// <summary>Cannot be applied faithfully: the job stops as Failed with <see cref="DdlDecision.Note"/>.</summary>
    Refused,
}

/// <param name="Outcome">What is done.</param>
/// <param name="TargetStatement">The statement run on the target (Applied, Warned).</param>
/// <param name="Note">Why it is skipped or refused, or the warning.</param>
public sealed record DdlDecision(DdlOutcome Outcome, string? TargetStatement = null, string? Note = null)
{
    public static DdlDecision Ignored { get; } = new(DdlOutcome.Ignored);
}
