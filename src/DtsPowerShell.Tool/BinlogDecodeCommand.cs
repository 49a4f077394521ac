using System.Diagnostics;
using System.Globalization;
using System.Text;
using DtsPowerShell.Engine.Binlog;
using DtsPowerShell.Engine.Binlog.Events;
using MySqlConnector;

namespace DtsPowerShell.Tool;

/// <summary>
/// <c>dts binlog-decode FILE [--print]</c>: decodes every event and row value of a binlog file; with
/// --print also renders them as text (as <c>mariadb-binlog -vv</c> does), else only counts. A summary goes
/// to stderr.
/// </summary>
internal static class BinlogDecodeCommand
{
    // Event type names as UTF-8, made once per type.
    private static readonly byte[]?[] TypeNames = new byte[]?[256];

    /// <summary>Decodes <paramref name="file"/>, printing to <paramref name="print"/> when given; the summary and errors go to <paramref name="log"/>.</summary>
    public static int Run(string file, Stream? print, TextWriter log)
    {
        var watch = Stopwatch.StartNew();
        long events = 0, rows = 0;
        try
        {
            // Disposed inside the try: flushing to a closed pipe is an error like any other.
            using var output = print is null ? null : new Utf8Output(print);
            using var reader = new BinlogFileReader(file);
            foreach (var binlogEvent in reader.ReadEvents())
            {
                events++;
                rows += binlogEvent switch
                {
                    RowsEvent rowsEvent => rowsEvent.Rows.Count,
                    TransactionPayloadEvent payload => payload.Events.OfType<RowsEvent>().Sum(r => r.Rows.Count),
                    _ => 0,
                };

                if (output is not null)
                {
                    Render(output, binlogEvent);
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            log.WriteLine($"dts: {e.Message}");
            return 1;
        }

        var megabytes = new FileInfo(file).Length / 1048576.0;
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{events} events, {rows} rows, {megabytes:0.0} MiB in {watch.Elapsed.TotalSeconds:0.00} s ({events / watch.Elapsed.TotalSeconds:0} events/s, {megabytes / watch.Elapsed.TotalSeconds:0.0} MB/s)"));
        return 0;
    }

    private static void Render(Utf8Output output, BinlogEvent binlogEvent)
    {
        var header = binlogEvent.Header;
        output.Write("# at "u8);
        output.Write(header.Position);
        output.Write((byte)' ');
        output.Write(TypeNames[(byte)header.Type] ??= Encoding.UTF8.GetBytes(header.Type.ToString()));
        switch (binlogEvent)
        {
            case QueryEvent query:
                output.Write((byte)' ');
                output.Write(query.Query);
                break;
            case RowsQueryEvent annotate:
                output.Write((byte)' ');
                output.Write(annotate.QueryBytes.Span);
                break;
            case TableMapEvent map:
                output.Write((byte)' ');
                output.Write(map.Database);
                output.Write((byte)'.');
                output.Write(map.Table);
                break;
            case GtidEvent gtid:
                output.Write((byte)' ');
                output.Write(gtid.Gtid ?? "ANONYMOUS");
                break;
            case TransactionPayloadEvent payload:
                output.WriteLine();
                foreach (var inner in payload.Events)
                {
                    Render(output, inner);
                }

                return;
            case RowsEvent rows:
                output.WriteLine();
                foreach (var row in rows.Rows)
                {
                    if (row.Before is not null)
                    {
                        WriteImage(output, "### WHERE\n"u8, row.Before);
                    }

                    if (row.After is not null)
                    {
                        WriteImage(output, "### SET\n"u8, row.After);
                    }
                }

                return;
        }

        output.WriteLine();
    }

    private static void WriteImage(Utf8Output output, ReadOnlySpan<byte> label, object?[] image)
    {
        output.Write(label);
        for (var i = 0; i < image.Length; i++)
        {
            output.Write("###   @"u8);
            output.Write(i + 1);
            output.Write((byte)'=');
            WriteValue(output, image[i]);
            output.WriteLine();
        }
    }

    private static void WriteValue(Utf8Output output, object? value)
    {
        switch (value)
        {
            case null:
                output.Write("NULL"u8);
                break;
            case byte[] bytes:
                output.Write((byte)'\'');
                output.Write(bytes);
                output.Write((byte)'\'');
                break;
            case string text:
                output.Write((byte)'\'');
                output.Write(text);
                output.Write((byte)'\'');
                break;
            case MySqlDateTime date:
                WriteDateTime(output, date);
                break;
            case TimeSpan time:
                output.Write(time, "c");
                break;
            case IUtf8SpanFormattable formattable:
                output.Write(formattable);
                break;
            default:
                output.Write(value.ToString() ?? string.Empty);
                break;
        }
    }

    private static void WriteDateTime(Utf8Output output, MySqlDateTime value)
    {
        output.Write(value.Year, "0000");
        output.Write((byte)'-');
        output.Write(value.Month, "00");
        output.Write((byte)'-');
        output.Write(value.Day, "00");
        output.Write((byte)' ');
        output.Write(value.Hour, "00");
        output.Write((byte)':');
        output.Write(value.Minute, "00");
        output.Write((byte)':');
        output.Write(value.Second, "00");
        if (value.Microsecond != 0)
        {
            output.Write((byte)'.');
            output.Write(value.Microsecond, "000000");
        }
    }
}
