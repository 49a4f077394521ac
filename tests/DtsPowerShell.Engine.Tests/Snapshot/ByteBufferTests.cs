using System.Text;
using DtsPowerShell.Engine.Snapshot;

namespace DtsPowerShell.Engine.Tests.Snapshot;

public sealed class ByteBufferTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a\tb\nc\rd\\e\0f", "a\\tb\\nc\\rd\\\\e\\0f")]
    [InlineData("\\\\", "\\\\\\\\")]
    [InlineData("", "")]
    public void EscapesWhatLoadDataReadsAsSpecial(string raw, string escaped)
    {
        var buffer = new ByteBuffer();
        buffer.AppendEscaped(Encoding.UTF8.GetBytes(raw));
        Assert.Equal(escaped, Encoding.UTF8.GetString(buffer.Written.Span));
    }

    [Fact]
    public void GrowsPastItsFirstSize()
    {
        var buffer = new ByteBuffer();
        var big = new byte[200_000];
        Array.Fill(big, (byte)'\n');
        buffer.AppendEscaped(big);
        Assert.Equal(400_000, buffer.Length);
    }
}
