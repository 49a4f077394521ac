using DtsPowerShell.Engine.Binlog.Events;

namespace DtsPowerShell.Engine.Binlog;

/// <summary>
/// The one framing of transactions in a binlog stream: follows the stream's file, offset and GTID state, notes where
/// each transaction begins (its GTID event, its BEGIN, or without either its first change) and the position after each
/// complete one: the place a consumer can resume from without losing or repeating anything.
/// </summary>
internal sealed class TransactionTracker
{
    private bool open;
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

    /// <summary>Whether the event observed last began a transaction.</summary>
    public bool Began { get; private set; }

    /// <summary>Whether a transaction has completed since the stream started.</summary>
    public bool HasCommitted { get; private set; }

    /// <summary>Updates the position with an event; true when the event ended a transaction.</summary>
    public bool Observe(BinlogEvent binlogEvent)
    {
        Began = !open && StartsTransaction(binlogEvent);
        open |= Began;
        switch (binlogEvent)
        {
            case RotateEvent rotate:
                File = rotate.NextFile;
                Offset = rotate.Position;
                inTransaction = open = false;
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
            inTransaction = open = false;
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

    /// <summary>The first event of a transaction: its GTID event, BEGIN, or (without either) its first change.</summary>
    private static bool StartsTransaction(BinlogEvent binlogEvent) => binlogEvent switch
    {
        GtidEvent or QueryEvent or RowsEvent or FilteredRowsEvent or TransactionPayloadEvent or XaPrepareEvent or XidEvent => true,
        _ => false,
    };

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
