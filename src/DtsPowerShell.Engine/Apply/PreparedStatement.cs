using DtsPowerShell.Engine.Binlog;
using DtsPowerShell.Engine.Changes;

namespace DtsPowerShell.Engine.Apply;

/// <summary>A statement from the binlog that concerns the job, read and decided (<see cref="DdlApplier.Prepare"/>), not yet applied.</summary>
/// <param name="Change">The statement as the reader read it.</param>
/// <param name="At">Where its transaction begins in the binlog.</param>
/// <param name="SkipBecause">Why it is not run on the target (the target has its effect already, or the job leaves DDL out), or null.</param>
public sealed record PreparedStatement(StatementChange Change, BinlogPosition At, string? SkipBecause)
{
    /// <summary>Whether it runs on the target (and may change the schema): the rows before it must commit first.</summary>
    public bool IsBarrier => Change.Decision.TargetStatement is not null;
}
