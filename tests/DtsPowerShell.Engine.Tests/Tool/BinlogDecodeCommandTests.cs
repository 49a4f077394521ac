using System.Text;
using DtsPowerShell.Engine.Tests.Binlog;
using DtsPowerShell.Tool;

namespace DtsPowerShell.Engine.Tests.Tool;

/// <summary><c>dts binlog-decode</c>, the benchmark's candidate: what it prints is what the decoder read.</summary>
public class BinlogDecodeCommandTests
{
    [FixtureFact]
    public void Prints_events_and_row_values_as_text_and_counts_them()
    {
        var (exitCode, text, log) = Run("rust_mysql_common/binlog_transaction_with_GTID_TAG.000001", print: true);
        Assert.Equal(0, exitCode);
        Assert.Contains("# at 245 GtidTagged 55778904-0299-11f1-b1b8-4ef0c4956feb:mytag:3\n", text, StringComparison.Ordinal);
        Assert.Contains("# at 405 TableMap test.orders\n", text, StringComparison.Ordinal);
        Assert.Contains("### SET\n###   @1=3\n###   @2=100\n###   @3=250.00\n", text, StringComparison.Ordinal);
        Assert.StartsWith("8 events, 1 rows,", log, StringComparison.Ordinal);
    }

    [FixtureFact]
    public void Prints_a_partial_json_update_as_its_changes()
    {
        var (exitCode, text, _) = Run("rust_mysql_common/json.binlog.000001", print: true);
        Assert.Equal(0, exitCode);
        Assert.Contains("###   @2=Replace $.age 26\n###   @3='Joe'\n", text, StringComparison.Ordinal);
    }

    [FixtureFact]
    public void A_broken_file_is_an_error_message_and_exit_code_1()
    {
        var (exitCode, _, log) = Run("mysql-server/std_data/binlog_truncated_event.000001", print: false);
        Assert.Equal(1, exitCode);
        Assert.StartsWith("dts: ", log, StringComparison.Ordinal);
        Assert.Contains("ends inside an event header", log, StringComparison.Ordinal);
    }

    private static (int ExitCode, string Text, string Log) Run(string fixture, bool print)
    {
        using var output = new MemoryStream();
        using var log = new StringWriter();
        var exitCode = BinlogDecodeCommand.Run(BinlogFixtures.PathOf(fixture), print ? output : null, log);
        return (exitCode, Encoding.UTF8.GetString(output.ToArray()), log.ToString());
    }
}
