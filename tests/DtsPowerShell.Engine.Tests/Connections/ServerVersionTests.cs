using DtsPowerShell.Engine.Connections;

namespace DtsPowerShell.Engine.Tests.Connections;

public class ServerVersionTests
{
    [Theory]
    [InlineData("5.1.73-log", true)]
    [InlineData("5.5.62", true)]
    [InlineData("5.7.44-log", true)]
    [InlineData("8.0.36", true)]
    [InlineData("8.4.2", true)]
    [InlineData("10.11.19-MariaDB-0+deb12u1-log", true)]
    [InlineData("11.4.2-MariaDB", true)]
    [InlineData("5.0.96-log", false)]
    [InlineData("9.1.0", false)]
    [InlineData("12.0.1-MariaDB", false)]
    [InlineData("5.5.5-10.3.39-MariaDB", false)]
    [InlineData("garbage", false)]
    public void Knows_the_supported_range(string text, bool supported) =>
        Assert.Equal(supported, ServerVersion.Parse(text).IsSupported);

    [Fact]
    public void Reads_product_and_numbers()
    {
        var version = ServerVersion.Parse("10.11.19-MariaDB-0+deb12u1-log");
        Assert.Equal("MariaDB 10.11.19", version.ToString());
    }
}
