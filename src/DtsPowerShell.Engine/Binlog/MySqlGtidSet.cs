using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using DtsPowerShell.Engine.Protocol;

namespace DtsPowerShell.Engine.Binlog;

/// <summary>
/// A MySQL GTID set (<c>uuid:1-5:7,uuid2:3</c>, with MySQL 8.3+ tags <c>uuid:1-5:batch:1-3</c>): parsed from text,
/// grown as transactions commit, and encoded for COM_BINLOG_DUMP_GTID.
/// </summary>
public sealed partial class MySqlGtidSet
{
    /// <summary>The largest transaction number MySQL gives (GNO_END - 1 = 2^63 - 2); interval ends + 1 never overflow.</summary>
    public const ulong MaxNumber = long.MaxValue - 1;

    // Untagged intervals of a uuid sort before its tagged ones, as MySQL prints them.
    private readonly SortedDictionary<(Guid Sid, string Tag), List<(ulong Start, ulong End)>> intervals = new(new SidTagComparer());

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

            var tag = "";
            var intervalsAfterTag = 1;
            foreach (var piece in pieces[1..])
            {
                if (Tag().IsMatch(piece))
                {
                    tag = piece.ToLowerInvariant();
                    intervalsAfterTag = 0;
                    continue;
                }

                var bounds = piece.Split('-');
                if (bounds.Length > 2 || !ulong.TryParse(bounds[0], NumberStyles.None, CultureInfo.InvariantCulture, out var start) || start is 0 or > MaxNumber)
                {
                    throw Invalid(text, part);
                }

                var end = start;
                if (bounds.Length == 2 && (!ulong.TryParse(bounds[1], NumberStyles.None, CultureInfo.InvariantCulture, out end) || end < start || end > MaxNumber))
                {
                    throw Invalid(text, part);
                }

                set.Add(sid, tag, start, end);
                intervalsAfterTag++;
            }

            if (intervalsAfterTag == 0)
            {
                throw Invalid(text, part);
            }
        }

        return set;
    }

    /// <summary>
    /// Reads the binary form (PREVIOUS_GTIDS, COM_BINLOG_DUMP_GTID): interval ends exclusive. From MySQL 8.3 the top
    /// byte of the count may say "tagged": the count then sits in bits 8-55 and each uuid has a tag.
    /// </summary>
    internal static MySqlGtidSet Decode(ReadOnlySpan<byte> data)
    {
        var reader = new SpanReader(data);
        var header = reader.ReadUInt64();
        var format = header >> 56;
        if (format > 1)
        {
            throw new InvalidDataException($"A binary GTID set has format {format}; 0 (untagged) and 1 (tagged) are known.");
        }

        var tagged = format == 1;
        var sids = tagged ? (header >> 8) & 0xFFFFFFFFFFFF : header & 0xFFFFFFFFFFFFFF;
        var set = new MySqlGtidSet();
        for (ulong i = 0; i < sids; i++)
        {
            var sid = new Guid(reader.ReadBytes(16), bigEndian: true);
            var tag = "";
            if (tagged && GtidSets.ReadVariableLength(ref reader) is var tagLength and > 0)
            {
                tag = ReadTag(ref reader, tagLength);
            }

            var count = reader.ReadUInt64();
            for (ulong j = 0; j < count; j++)
            {
                var start = reader.ReadUInt64();
                var end = reader.ReadUInt64();
                if (start == 0 || end <= start || end > MaxNumber + 1)
                {
                    throw new InvalidDataException($"A binary GTID set holds the interval [{start}, {end}).");
                }

                set.Add(sid, tag, start, end - 1);
            }
        }

        return set;
    }

    /// <summary>Adds one transaction, <c>uuid:number</c> or <c>uuid:tag:number</c>.</summary>
    public void Add(string gtid)
    {
        var pieces = gtid.Split(':');
        if (pieces.Length is 2 or 3 && Guid.TryParse(pieces[0], out var sid) && ulong.TryParse(pieces[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var number) &&
            number is > 0 and <= MaxNumber && (pieces.Length == 2 || Tag().IsMatch(pieces[1])))
        {
            Add(sid, pieces.Length == 3 ? pieces[1].ToLowerInvariant() : "", number, number);
        }
        else
        {
            throw new InvalidDataException($"'{gtid}' is not a MySQL GTID (uuid:number or uuid:tag:number); the GTID state cannot follow it.");
        }
    }

    /// <summary>
    /// The binary form COM_BINLOG_DUMP_GTID and PREVIOUS_GTIDS use (interval ends exclusive). With a tag anywhere
    /// the set takes the tagged form: format 1 in the top and bottom byte of the count, a tag after each uuid.
    /// </summary>
    public byte[] Encode()
    {
        var tagged = intervals.Keys.Any(key => key.Tag.Length > 0);
        var output = new MemoryStream();
        Span<byte> number = stackalloc byte[9];
        BinaryPrimitives.WriteUInt64LittleEndian(number, tagged ? (1UL << 56) | ((ulong)intervals.Count << 8) | 1 : (ulong)intervals.Count);
        output.Write(number[..8]);
        Span<byte> sidBytes = stackalloc byte[16];
        foreach (var ((sid, tag), ranges) in intervals)
        {
            sid.TryWriteBytes(sidBytes, bigEndian: true, out _);
            output.Write(sidBytes);
            if (tagged)
            {
                output.Write(number[..GtidSets.WriteVariableLength(number, (ulong)tag.Length)]);
                output.Write(Encoding.ASCII.GetBytes(tag));
            }

            BinaryPrimitives.WriteUInt64LittleEndian(number, (ulong)ranges.Count);
            output.Write(number[..8]);
            foreach (var (start, end) in ranges)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(number, start);
                output.Write(number[..8]);
                BinaryPrimitives.WriteUInt64LittleEndian(number, end + 1);
                output.Write(number[..8]);
            }
        }

        return output.ToArray();
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        Guid? previous = null;
        foreach (var ((sid, tag), ranges) in intervals)
        {
            if (sid != previous)
            {
                text.Append(text.Length > 0 ? "," : "").Append(sid.ToString("D"));
                previous = sid;
            }

            if (tag.Length > 0)
            {
                text.Append(':').Append(tag);
            }

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

    /// <summary>Adds [start, end]; the ranges stay sorted, disjoint and not touching. Appending past the last range, the common case, is O(log n).</summary>
    private void Add(Guid sid, string tag, ulong start, ulong end)
    {
        if (!intervals.TryGetValue((sid, tag), out var ranges))
        {
            intervals[(sid, tag)] = ranges = [];
        }

        // The first range that ends at or after start - 1 is the first that may touch the new one.
        int low = 0, high = ranges.Count;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (ranges[middle].End + 1 < start)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        if (low == ranges.Count || ranges[low].Start > end + 1)
        {
            ranges.Insert(low, (start, end));
            return;
        }

        var merged = (Start: Math.Min(start, ranges[low].Start), End: Math.Max(end, ranges[low].End));
        var next = low + 1;
        while (next < ranges.Count && ranges[next].Start <= merged.End + 1)
        {
            merged.End = Math.Max(merged.End, ranges[next].End);
            next++;
        }

        ranges[low] = merged;
        ranges.RemoveRange(low + 1, next - low - 1);
    }

    private static DtsInputException Invalid(string text, string part) =>
        new($"'{part}' in the GTID set '{text}' is not uuid[:tag]:interval[:interval...].", "Write a MySQL GTID set as SELECT @@gtid_executed shows it, e.g. 3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5:7 or 3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5:batch:1-3.");

    /// <summary>A tag read from binary data (a tagged GTID set or event): checked, lower-cased.</summary>
    internal static string ReadTag(ref SpanReader reader, ulong length)
    {
        var bytes = reader.ReadBytes(length <= (ulong)reader.Remaining ? (int)length : throw new InvalidDataException($"A GTID tag of {length} bytes does not fit."));
        var tag = Encoding.ASCII.GetString(bytes);
        return Tag().IsMatch(tag) ? tag.ToLowerInvariant() : throw new InvalidDataException($"'{tag}' is not a GTID tag (a letter or _, then up to 31 letters, digits or _).");
    }

    /// <summary>A GTID tag (MySQL 8.3+): a letter or underscore, then up to 31 letters, digits or underscores.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]{0,31}\z")]
    private static partial System.Text.RegularExpressions.Regex Tag();

    private sealed class SidTagComparer : IComparer<(Guid Sid, string Tag)>
    {
        public int Compare((Guid Sid, string Tag) x, (Guid Sid, string Tag) y)
        {
            var bySid = x.Sid.CompareTo(y.Sid);
            return bySid != 0 ? bySid : string.CompareOrdinal(x.Tag, y.Tag);
        }
    }
}
