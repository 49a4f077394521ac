using DtsPowerShell.Engine.Binlog;
using DtsPowerShell.Engine.Binlog.Events;
using DtsPowerShell.Engine.Ddl;
using DtsPowerShell.Engine.Schema;

namespace DtsPowerShell.Engine.Changes;

/// <summary>One item of a <see cref="ChangeStream"/>: what a consumer applies, framed by transaction ends.</summary>
public abstract record Change;

/// <summary>
/// The start of a source transaction: <see cref="Position"/> is where its first event begins. Changes before a
/// position are compared by their transaction's start, which a rotation between transactions does not blur.
/// </summary>
public sealed record TransactionStart(BinlogPosition Position) : Change;

/// <summary>Rows inserted, updated or deleted in one table.</summary>
public sealed record RowChanges(RowsEvent Rows) : Change;

/// <summary>
/// A statement other than BEGIN/COMMIT/SAVEPOINT (DDL, or DML that the source logged as a statement), read once by the
/// reader's <see cref="SchemaTimeline"/>.
/// </summary>
/// <param name="Query">The query event.</param>
/// <param name="Statement">What it is and the objects it names.</param>
/// <param name="Sql">Its text as the job works with it.</param>
/// <param name="Decision">What the rules say to do with it.</param>
/// <param name="SchemaChanges">What it did to the followed tables, by name: the table after it, or null where it is gone.</param>
public sealed record StatementChange(
    QueryEvent Query, DdlStatement Statement, string Sql, DdlDecision Decision, IReadOnlyDictionary<(string Database, string Table), TrackedTable?> SchemaChanges) : Change;

/// <summary>An event that changes data in a way no consumer can apply faithfully (XA, LOAD DATA events, pre-GA rows).</summary>
public sealed record UnsupportedChange(BinlogEvent Event, string Reason) : Change;

/// <summary>The end of a source transaction: everything before it is one unit; <see cref="Position"/> is where to resume after it.</summary>
public sealed record TransactionEnd(BinlogPosition Position, DateTime CommittedAt) : Change;
