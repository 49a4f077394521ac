using System.Diagnostics;
using System.Globalization;
using System.Text;
using DtsPowerShell.Engine.Binlog;
using DtsPowerShell.Engine.Binlog.Events;

namespace DtsPowerShell.Tool;

/// <summary>
/// <c>dts binlog-decode FILE [--print]</c>: decodes every event and row value of a binlog file; with
/// --print also renders them as text (as <c>mariadb-binlog -vv</c> does), else only counts. A summary goes
/// to stderr.
/// </summary>
internal static class BinlogDecodeCommand
{
    public static int Run(string file, bool print)
    {
        var watch = Stopwatch.StartNew();
        using var output = print ? new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16) : null;
        long events = 0, rows = 0;
        try
        {
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
            Console.Error.WriteLine($"dts: {e.Message}");
            return 1;
        }

        output?.Flush();
        var megabytes = new FileInfo(file).Length / 1048576.0;
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{events} events, {rows} rows, {megabytes:0.0} MiB in {watch.Elapsed.TotalSeconds:0.00} s ({events / watch.Elapsed.TotalSeconds:0} events/s, {megabytes / watch.Elapsed.TotalSeconds:0.0} MB/s)"));
        return 0;
    }

    private static void Render(StreamWriter output, BinlogEvent binlogEvent)
    {
        var header = binlogEvent.Header;
        output.Write("# at ");
        // Events the server makes up, and those inside a compressed transaction, have no position of their own.
        output.Write(header.NextPosition >= header.EventLength ? header.NextPosition - header.EventLength : 0);
        output.Write(' ');
        output.Write(header.Type);
        switch (binlogEvent)
        {
            case QueryEvent query:
                output.Write(' ');
                output.Write(query.Query);
                break;
            case RowsQueryEvent annotate:
                output.Write(' ');
                output.Write(annotate.Query);
                break;
            case TableMapEvent map:
                output.Write(' ');
                output.Write(map.Database);
                output.Write('.');
                output.Write(map.Table);
                break;
            case GtidEvent gtid:
                output.Write(' ');
                output.Write(gtid.Gtid);
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
                        WriteImage(output, "### WHERE", row.Before);
                    }

                    if (row.After is not null)
                    {
                        WriteImage(output, "### SET", row.After);
                    }
                }

                return;
        }

        output.WriteLine();
    }

    private static void WriteImage(StreamWriter output, string label, object?[] image)
    {
        output.WriteLine(label);
        for (var i = 0; i < image.Length; i++)
        {
            output.Write("###   @");
            output.Write(i + 1);
            output.Write('=');
            switch (image[i])
            {
                case null:
                    output.Write("NULL");
                    break;
                case byte[] bytes:
                    output.Write('\'');
                    output.Write(Encoding.Latin1.GetString(bytes));
                    output.Write('\'');
                    break;
                case string text:
                    output.Write('\'');
                    output.Write(text);
                    output.Write('\'');
                    break;
                case IFormattable value:
                    output.Write(value.ToString(null, CultureInfo.InvariantCulture));
                    break;
                default:
                    output.Write(image[i]);
                    break;
            }

            output.WriteLine();
        }
    }
}
