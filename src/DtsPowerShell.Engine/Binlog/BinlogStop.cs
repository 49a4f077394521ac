using DtsPowerShell.Engine.Binlog.Events;

namespace DtsPowerShell.Engine.Binlog;

/// <summary>
/// Where a reader of the binlog stops: at a position (<c>file:offset</c>: events that begin before it), after the
/// transaction of a GTID (MariaDB's <c>domain-server-sequence</c> or MySQL's <c>uuid:number</c>, the first transaction of
/// that domain or server at or past it), or at a time (events written before it). <see cref="Check"/> is asked for each
/// event in stream order.
/// </summary>
public sealed class BinlogStop
{
    private bool gtidSeen;

    private BinlogStop()
    {
    }

    public BinlogPosition? Position { get; private init; }

    public DateTimeOffset? Time { get; private init; }

    public string? Gtid { get; private init; }

    public static BinlogStop At(BinlogPosition position) => new() { Position = position };

    public static BinlogStop AtTime(DateTimeOffset time) => new() { Time = time };

    /// <summary>Reads <c>file:offset</c>, a GTID, or a date and time (ISO 8601, or as this culture writes it).</summary>
    public static BinlogStop Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = text.Trim();
        if (IsGtid(text))
        {
            return new BinlogStop { Gtid = text };
        }

        if (BinlogPosition.LooksLikePosition(text))
        {
            return At(BinlogPosition.Parse(text));
        }

        if (BinlogStart.TryParseTime(text, out var time))
        {
            return AtTime(time);
        }

        throw new DtsInputException($"'{text}' is neither a binlog position, a GTID nor a date and time.",
            "Give file:offset (as Position shows it, e.g. mysql-bin.000003:4), a GTID (0-1-100, or uuid:100), or a date and time (2026-11-30T10:00:00).");
    }

    /// <summary>Whether to write <paramref name="binlogEvent"/>, and whether reading ends with it; <paramref name="file"/> is the binlog file it is in.</summary>
    public (bool Write, bool End) Check(BinlogEvent binlogEvent, string file)
    {
        ArgumentNullException.ThrowIfNull(binlogEvent);
        var header = binlogEvent.Header;
        if (Time is { } time)
        {
            // Artificial events (a dump's first ROTATE, heartbeats) carry no time of their own.
            return header.Timestamp != 0 && header.Time > time && binlogEvent is not (HeartbeatEvent or RotateEvent or FormatDescriptionEvent) ? (false, true) : (true, false);
        }

        if (Position is { } position)
        {
            // A heartbeat says where the stream stands; a ROTATE (the dump's first too) where it goes on.
            var (at, end, marker) = binlogEvent switch
            {
                HeartbeatEvent heartbeat => (heartbeat.File, heartbeat.Position, true),
                RotateEvent rotate => (rotate.NextFile, rotate.Position, true),
                _ => (file, (ulong)header.NextPosition, false),
            };
            var past = string.CompareOrdinal(at, position.File) > 0 || (at == position.File && end >= position.Position);
            var startsBefore = string.CompareOrdinal(at, position.File) < 0 || (at == position.File && header.Position < position.Position);
            return past ? (startsBefore && !marker && header.NextPosition != 0, true) : (true, false);
        }

        switch (binlogEvent)
        {
            case GtidEvent { Gtid: { } gtid } when Reaches(gtid, Gtid!):
                gtidSeen = true;
                return (true, false);
            case XidEvent when gtidSeen:
            case QueryEvent { IsBegin: false } when gtidSeen:
                return (true, true);
            default:
                return (true, false);
        }
    }

    private static bool IsGtid(string text) =>
        (text.Split('-') is [var d, var s, var n] && uint.TryParse(d, out _) && uint.TryParse(s, out _) && ulong.TryParse(n, out _))
        || (text.Split(':') is [var uuid, var number] && Guid.TryParse(uuid, out _) && ulong.TryParse(number, out _));

    /// <summary>Whether a transaction's GTID is the one asked for, or a later one of the same domain (MariaDB) or server (MySQL).</summary>
    private static bool Reaches(string gtid, string wanted)
    {
        var separator = wanted.Contains(':', StringComparison.Ordinal) ? ':' : '-';
        var (have, want) = (gtid.Split(separator), wanted.Split(separator));
        if (have.Length != want.Length || !ulong.TryParse(have[^1], out var number) || !ulong.TryParse(want[^1], out var wantedNumber))
        {
            return false;
        }

        // MariaDB orders by domain only (servers change with failover); MySQL by the server's uuid.
        var sameSequence = separator == '-' ? have[0] == want[0] : string.Equals(have[0], want[0], StringComparison.OrdinalIgnoreCase);
        return sameSequence && number >= wantedNumber;
    }
}
