using System.Text;
using DtsPowerShell.Tool;

namespace DtsPowerShell.Engine.Tests.Tool;

/// <summary>The tool's buffered UTF-8 writer: nothing lost or reordered at its 64 KiB buffer's edges.</summary>
public class Utf8OutputTests
{
    [Fact]
    public void Text_and_numbers_straddling_the_buffer_and_longer_than_it_come_out_whole()
    {
        var wire = new MemoryStream();
        var expected = new StringBuilder();
        using (var output = new Utf8Output(wire))
        {
            var filler = new string('a', 65_530);
            output.Write(filler);
            expected.Append(filler);
            output.Write(1234567890123L);
            expected.Append("1234567890123");
            var long_ = string.Concat(Enumerable.Repeat("ünïcødé 😀 ", 20_000));
            output.Write(long_);
            expected.Append(long_);
            output.Write(3.5m, "0.00");
            expected.Append("3.50");
            output.Write("ü"u8);
            expected.Append('ü');
            output.WriteLine();
            expected.Append('\n');
        }

        Assert.Equal(expected.ToString(), Encoding.UTF8.GetString(wire.ToArray()));
    }
}
