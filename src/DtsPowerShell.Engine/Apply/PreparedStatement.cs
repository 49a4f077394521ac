using DtsPowerShell.Engine.Binlog;
using DtsPowerShell.Engine.Binlog.Events;
using DtsPowerShell.Engine.Ddl;

namespace DtsPowerShell.Engine.Apply;

/// <summary>A statement from the binlog that concerns the job, read and decided (<see cref="DdlApplier.Prepare"/>), not yet applied.</summary>
/// <param name="Query">The query event.</param>
/// <param name="Sql">Its text as the job works with it.</param>
/// <param name="Statement">What it is and the objects it names.</param>
/// <param name="Decision">What the rules say to do.</param>
/// <param name="At">Where its transaction begins in the binlog.</param>
public sealed record PreparedStatement(QueryEvent Query, string Sql, DdlStatement Statement, DdlDecision Decision, BinlogPosition At)
{
    /// <summary>Whether it runs on the target (and may change the schema): the rows before it must commit first.</summary>
    public bool IsBarrier => Decision.TargetStatement is not null;

    /// <summary>Whether the initial copies of the tables it names were taken after it: the target has its effect, the schema follows it.</summary>
    public bool InCopies { get; init; }
}
