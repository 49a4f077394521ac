namespace DtsPowerShell.Engine.Binlog.Events;

/// <summary>
/// A statement: DDL, BEGIN/COMMIT, or DML in statement format. <see cref="Database"/> is the default
/// database it ran in; <see cref="CharsetClient"/>/<see cref="CollationConnection"/>/<see cref="CollationServer"/>
/// and <see cref="SqlMode"/> come from the status variables when present.
/// </summary>
public sealed record QueryEvent(
    BinlogEventHeader Header,
    uint ThreadId,
    uint ExecutionSeconds,
    ushort ErrorCode,
    string Database,
    string Query,
    ulong? SqlMode,
    ushort? CharsetClient,
    ushort? CollationConnection,
    ushort? CollationServer,
    string? TimeZone) : BinlogEvent(Header)
{
    /// <summary>The statement that opens a transaction: BEGIN, or XA START.</summary>
    public bool IsBegin => Query.Equals("BEGIN", StringComparison.OrdinalIgnoreCase) || Query.StartsWith("XA START", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The statement that ends a transaction: COMMIT, ROLLBACK, XA COMMIT or XA ROLLBACK. ROLLBACK TO SAVEPOINT is
    /// written inside a transaction (with non-transactional changes) and ends nothing.
    /// </summary>
    public bool IsCommit =>
        Query.StartsWith("COMMIT", StringComparison.OrdinalIgnoreCase) ||
        (Query.StartsWith("ROLLBACK", StringComparison.OrdinalIgnoreCase) && !System.Text.RegularExpressions.Regex.IsMatch(Query, @"^ROLLBACK\s+(WORK\s+)?TO\b", System.Text.RegularExpressions.RegexOptions.IgnoreCase)) ||
        Query.StartsWith("XA COMMIT", StringComparison.OrdinalIgnoreCase) || Query.StartsWith("XA ROLLBACK", StringComparison.OrdinalIgnoreCase);

    /// <summary>Transaction control rather than a change: BEGIN, COMMIT, ROLLBACK, SAVEPOINT, RELEASE SAVEPOINT.</summary>
    public bool IsTransactionControl
    {
        get
        {
            var text = Query.TrimStart();
            return text.StartsWith("BEGIN", StringComparison.OrdinalIgnoreCase) || text.StartsWith("COMMIT", StringComparison.OrdinalIgnoreCase) ||
                   text.StartsWith("ROLLBACK", StringComparison.OrdinalIgnoreCase) || text.StartsWith("SAVEPOINT", StringComparison.OrdinalIgnoreCase) ||
                   text.StartsWith("RELEASE SAVEPOINT", StringComparison.OrdinalIgnoreCase);
        }
    }
}
