namespace DtsPowerShell.Engine.Jobs;

/// <summary>A statement from the source's binlog that the sync handled: applied, applied with a warning, or skipped.</summary>
/// <param name="Position">Where it stands in the source's binlog (file:offset).</param>
/// <param name="SourceTime">When the source ran it, in UTC.</param>
/// <param name="Outcome">Applied, Warned or Skipped.</param>
/// <param name="Statement">The statement as the source ran it.</param>
/// <param name="TargetStatement">The statement run on the target (under the target's names); null when skipped.</param>
/// <param name="Note">Why it was skipped, or the warning.</param>
public sealed record SyncStatement(string Position, DateTime SourceTime, string Outcome, string Statement, string? TargetStatement, string? Note)
{
    public override string ToString() => $"{SourceTime:u} {Outcome}: {Statement}";
}
