namespace DtsPowerShell.Engine.Binlog.Events;

/// <summary>XA PREPARE (or XA COMMIT ... ONE PHASE) of the transaction named by its XID parts.</summary>
public sealed record XaPrepareEvent(BinlogEventHeader Header, bool OnePhase, int FormatId, byte[] GlobalTransactionId, byte[] BranchQualifier) : BinlogEvent(Header);
