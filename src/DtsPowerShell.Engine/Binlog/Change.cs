using DtsPowerShell.Engine.Binlog.Events;

namespace DtsPowerShell.Engine.Binlog;

/// <summary>One item of a <see cref="ChangeStream"/>: what a consumer applies, framed by transaction ends.</summary>
public abstract record Change;

/// <summary>
/// The start of a source transaction: <see cref="Position"/> is where its first event begins. Changes before a
/// position are compared by their transaction's start, which a rotation between transactions does not blur.
/// </summary>
public sealed record TransactionStart(BinlogPosition Position) : Change;

/// <summary>Rows inserted, updated or deleted in one table.</summary>
public sealed record RowChanges(RowsEvent Rows) : Change;

/// <summary>A statement other than BEGIN/COMMIT/SAVEPOINT: DDL, or DML that the source logged as a statement.</summary>
public sealed record StatementChange(QueryEvent Query) : Change;

/// <summary>An event that changes data in a way no consumer can apply faithfully (XA, LOAD DATA events, pre-GA rows).</summary>
public sealed record UnsupportedChange(BinlogEvent Event, string Reason) : Change;

/// <summary>The end of a source transaction: everything before it is one unit; <see cref="Position"/> is where to resume after it.</summary>
public sealed record TransactionEnd(BinlogPosition Position, DateTime CommittedAt) : Change;
