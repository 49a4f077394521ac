using System.Globalization;
using DtsPowerShell.Engine.Binlog;
using DtsPowerShell.Engine.Binlog.Events;

namespace DtsPowerShell.Engine.Changes;

/// <summary>An event as a reader of the binlog is shown it: the file it is in, and where its transaction began (file:position).</summary>
public readonly record struct ReadEvent(BinlogEvent Event, string File, string? Transaction);

/// <summary>
/// What a reader of a binlog (Get-DtsBinlogEvent, a file or a server) is shown: the events the filter takes, the
/// events a compressed transaction holds among them, from the start (an offset in a file, or the first transaction
/// that begins at or after a time) until a stop (<c>-Stop</c>; for a server read to its end, where its binlog ended
/// when reading began) or a count, each with where its transaction began, framed by <see cref="TransactionTracker"/>.
/// </summary>
/// <param name="filter">What is shown.</param>
/// <param name="stop">The reader's own stop, or null.</param>
/// <param name="end">Where the binlog ended when reading began, or null (follow it).</param>
/// <param name="skipBefore">An offset in a file before which nothing is shown (0: none).</param>
/// <param name="skipUntil">A time: nothing is shown before the first transaction written at or after it.</param>
/// <param name="count">How many events to show at most, or null.</param>
public sealed class BinlogEventReader(ChangeFilter filter, BinlogStop? stop, BinlogStop? end, ulong skipBefore, DateTimeOffset? skipUntil, int? count)
{
    private readonly TransactionTracker framing = new(null, null);
    private (string File, ulong Position)? transactionAt;
    private string? transaction;

    /// <summary>How many events have been shown.</summary>
    public int Shown { get; private set; }

    /// <summary>Whether reading has ended (the stop, the end or the count reached).</summary>
    public bool Ended { get; private set; }

    /// <summary>The decoder's <see cref="BinlogEventDecoder.DecodeRowsOf"/>: rows are decoded only past the start's time and for the tables the filter takes.</summary>
    public bool DecodeRowsOf(TableMapEvent map) => skipUntil is null && filter.DecodesRowsOf(map);

    /// <summary>Takes the next event of <paramref name="file"/>: adds what is shown of it to <paramref name="shown"/>; false once reading ends.</summary>
    public bool Offer(BinlogEvent binlogEvent, string file, ICollection<ReadEvent> shown)
    {
        ArgumentNullException.ThrowIfNull(binlogEvent);
        ArgumentNullException.ThrowIfNull(shown);
        if (Ended)
        {
            return false;
        }

        framing.Observe(binlogEvent);
        if (framing.Began)
        {
            (transactionAt, transaction) = ((file, binlogEvent.Header.Position), null);
        }

        if (Skipped(binlogEvent))
        {
            // A start later than every event still ends where the binlog ended (or at the stop): nothing is shown.
            Ended = (stop?.Check(binlogEvent, file).End ?? false) || (end?.Check(binlogEvent, file).End ?? false);
            return !Ended;
        }

        var (write, ends) = stop?.Check(binlogEvent, file) ?? (true, false);
        if (end is not null && !ends)
        {
            (write, ends) = end.Check(binlogEvent, file);
        }

        if (write)
        {
            Show(binlogEvent, file, shown);
            if (binlogEvent is TransactionPayloadEvent payload)
            {
                foreach (var inner in payload.Events)
                {
                    Show(inner, file, shown);
                }
            }
        }

        Ended = ends || (count is { } most && Shown >= most);
        return !Ended;
    }

    private void Show(BinlogEvent binlogEvent, string file, ICollection<ReadEvent> shown)
    {
        if ((count is not { } limit || Shown < limit) && filter.Includes(binlogEvent))
        {
            shown.Add(new ReadEvent(binlogEvent, file, Transaction()));
            Shown++;
        }
    }

    /// <summary>The current transaction's mark, written out only for the events shown.</summary>
    private string? Transaction() =>
        transaction ??= transactionAt is { } at ? string.Create(CultureInfo.InvariantCulture, $"{at.File}:{at.Position}") : null;

    /// <summary>Whether the event comes before the start: before an offset in a file, or before the first transaction that begins at or after a time.</summary>
    private bool Skipped(BinlogEvent binlogEvent)
    {
        if (skipBefore > 0 && binlogEvent.Header.NextPosition != 0)
        {
            if (binlogEvent.Header.Position < skipBefore)
            {
                return true;
            }

            skipBefore = 0;
        }

        if (skipUntil is not { } time)
        {
            return false;
        }

        if (framing.Began && binlogEvent.Header.Time >= time)
        {
            skipUntil = null;
            return false;
        }

        return true;
    }
}
