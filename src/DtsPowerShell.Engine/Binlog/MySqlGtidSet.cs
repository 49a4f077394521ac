using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace DtsPowerShell.Engine.Binlog;

/// <summary>
/// A MySQL GTID set (<c>uuid:1-5:7,uuid2:3</c>): parsed from text, grown as transactions commit, and encoded
/// for COM_BINLOG_DUMP_GTID. Tagged GTIDs (MySQL 8.3+) are not supported here.
/// </summary>
public sealed class MySqlGtidSet
{
    private readonly SortedDictionary<Guid, List<(ulong Start, ulong End)>> intervals = [];

    public static MySqlGtidSet Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var set = new MySqlGtidSet();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var pieces = part.Split(':', StringSplitOptions.TrimEntries);
            if (pieces.Length < 2 || !Guid.TryParse(pieces[0], out var sid))
            {
                throw Invalid(text, part);
            }

            foreach (var range in pieces[1..])
            {
                var bounds = range.Split('-');
                if (bounds.Length > 2 || !ulong.TryParse(bounds[0], NumberStyles.None, CultureInfo.InvariantCulture, out var start) || start == 0)
                {
                    throw Invalid(text, part);
                }

                var end = start;
                if (bounds.Length == 2 && (!ulong.TryParse(bounds[1], NumberStyles.None, CultureInfo.InvariantCulture, out end) || end < start))
                {
                    throw Invalid(text, part);
                }

                set.Add(sid, start, end);
            }
        }

        return set;
    }

    /// <summary>Adds one transaction, <c>uuid:number</c>.</summary>
    public void Add(string gtid)
    {
        var colon = gtid.LastIndexOf(':');
        if (colon > 0 && Guid.TryParse(gtid[..colon], out var sid) && ulong.TryParse(gtid[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            Add(sid, number, number);
        }
        else
        {
            throw new InvalidDataException($"'{gtid}' is not a MySQL GTID (uuid:number); the GTID state cannot follow it.");
        }
    }

    /// <summary>The binary form COM_BINLOG_DUMP_GTID and PREVIOUS_GTIDS use (interval ends exclusive).</summary>
    public byte[] Encode()
    {
        var size = 8 + intervals.Sum(s => 16 + 8 + (16 * s.Value.Count));
        var bytes = new byte[size];
        var span = bytes.AsSpan();
        BinaryPrimitives.WriteUInt64LittleEndian(span, (ulong)intervals.Count);
        var offset = 8;
        foreach (var (sid, ranges) in intervals)
        {
            sid.TryWriteBytes(span[offset..], bigEndian: true, out _);
            BinaryPrimitives.WriteUInt64LittleEndian(span[(offset + 16)..], (ulong)ranges.Count);
            offset += 24;
            foreach (var (start, end) in ranges)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(span[offset..], start);
                BinaryPrimitives.WriteUInt64LittleEndian(span[(offset + 8)..], end + 1);
                offset += 16;
            }
        }

        return bytes;
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var (sid, ranges) in intervals)
        {
            text.Append(text.Length > 0 ? "," : "").Append(sid.ToString("D"));
            foreach (var (start, end) in ranges)
            {
                text.Append(CultureInfo.InvariantCulture, $":{start}");
                if (end != start)
                {
                    text.Append(CultureInfo.InvariantCulture, $"-{end}");
                }
            }
        }

        return text.ToString();
    }

    private void Add(Guid sid, ulong start, ulong end)
    {
        if (!intervals.TryGetValue(sid, out var ranges))
        {
            intervals[sid] = ranges = [];
        }

        ranges.Add((start, end));
        ranges.Sort();
        // Merge ranges that overlap or touch.
        for (var i = ranges.Count - 1; i > 0; i--)
        {
            if (ranges[i].Start <= ranges[i - 1].End + 1)
            {
                ranges[i - 1] = (ranges[i - 1].Start, Math.Max(ranges[i - 1].End, ranges[i].End));
                ranges.RemoveAt(i);
            }
        }
    }

    private static DtsInputException Invalid(string text, string part) =>
        new($"'{part}' in the GTID set '{text}' is not uuid:interval[:interval...].", "Write a MySQL GTID set as SELECT @@gtid_executed shows it, e.g. 3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5:7.");
}
