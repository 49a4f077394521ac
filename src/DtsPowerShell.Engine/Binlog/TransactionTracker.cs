using DtsPowerShell.Engine.Binlog.Events;

namespace DtsPowerShell.Engine.Binlog;

/// <summary>
/// Follows the stream's file, offset and GTID state, and notes the position after each complete
/// transaction: the place a consumer can resume from without losing or repeating anything.
/// </summary>
internal sealed class TransactionTracker
{
    private readonly Dictionary<string, string> mariaDbDomains = new(StringComparer.Ordinal);
    private readonly MySqlGtidSet? mySqlGtids;
    private string? pendingGtid;
    private bool inTransaction;
    private (string File, ulong Offset)? committedAt;

    // Built from committedAt and the GTID state when first read: printing a GTID set at every commit is wasted
    // work when nobody asks (a reconnect, or a consumer saving its place, does).
    private BinlogPosition? committed;

    public TransactionTracker(BinlogPosition? start, string? gtidSet)
    {
        File = start?.File ?? "";
        Offset = start?.Position ?? 4;
        if (gtidSet is not null && gtidSet.Contains(':', StringComparison.Ordinal))
        {
            mySqlGtids = MySqlGtidSet.Parse(gtidSet);
        }
        else if (gtidSet is not null)
        {
            SetMariaDbState(gtidSet);
        }

        committed = start;
        committedAt = start is null ? null : (start.File, start.Position);
    }

    public string File { get; private set; }

    public ulong Offset { get; private set; }

    /// <summary>The position after the last complete transaction; before the first, where the stream started.</summary>
    public BinlogPosition? Committed => committed ??= committedAt is { } at ? new BinlogPosition(at.File, at.Offset, GtidState()) : null;

    /// <summary>Whether a transaction has completed since the stream started.</summary>
    public bool HasCommitted { get; private set; }

    /// <summary>Updates the position with an event; true when the event ended a transaction.</summary>
    public bool Observe(BinlogEvent binlogEvent)
    {
        switch (binlogEvent)
        {
            case RotateEvent rotate:
                File = rotate.NextFile;
                Offset = rotate.Position;
                inTransaction = false;
                if (committedAt?.File != File)
                {
                    MarkCommitted();
                }

                return false;
            case GtidSetEvent { Header.Type: BinlogEventType.MariaGtidList } list when mariaDbDomains.Count == 0:
                SetMariaDbState(list.GtidSet);
                break;
            case GtidEvent gtid:
                pendingGtid = gtid.Gtid;
                inTransaction = gtid.Standalone is false && binlogEvent.Header.Type == BinlogEventType.MariaGtid;
                break;
        }

        if (binlogEvent.Header.NextPosition != 0)
        {
            Offset = binlogEvent.Header.NextPosition;
        }

        var ends = binlogEvent switch
        {
            XidEvent or XaPrepareEvent or TransactionPayloadEvent => true,
            QueryEvent query when query.IsBegin => Begin(),
            QueryEvent query => !inTransaction || query.IsCommit,
            _ => false,
        };
        if (ends)
        {
            inTransaction = false;
            if (pendingGtid is not null && mySqlGtids is not null)
            {
                mySqlGtids.Add(pendingGtid);
            }
            else if (pendingGtid is not null && pendingGtid.Count(c => c == '-') == 2)
            {
                mariaDbDomains[pendingGtid[..pendingGtid.IndexOf('-', StringComparison.Ordinal)]] = pendingGtid;
            }

            pendingGtid = null;
            MarkCommitted();
            HasCommitted = true;
        }

        return ends;
    }

    private void MarkCommitted()
    {
        committedAt = (File, Offset);
        committed = null;
    }

    private bool Begin()
    {
        inTransaction = true;
        return false;
    }

    private string? GtidState() => mySqlGtids?.ToString() ?? (mariaDbDomains.Count == 0 ? null : string.Join(',', mariaDbDomains.Values));

    private void SetMariaDbState(string gtidSet)
    {
        foreach (var gtid in gtidSet.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (gtid.Count(c => c == '-') == 2)
            {
                mariaDbDomains[gtid[..gtid.IndexOf('-', StringComparison.Ordinal)]] = gtid;
            }
        }
    }
}
