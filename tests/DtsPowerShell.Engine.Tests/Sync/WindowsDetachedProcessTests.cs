using DtsPowerShell.Engine.Sync;

namespace DtsPowerShell.Engine.Tests.Sync;

/// <summary>The Windows command line of a detached worker: each argument comes back whole through CommandLineToArgvW's rules.</summary>
public sealed class WindowsDetachedProcessTests
{
    [Theory]
    [InlineData("worker", "worker")]
    [InlineData("", "\"\"")]
    [InlineData(@"C:\Program Files\PowerShell\7\pwsh.exe", "\"C:\\Program Files\\PowerShell\\7\\pwsh.exe\"")]
    [InlineData(@"C:\state\", @"C:\state\")]
    [InlineData(@"C:\my state\", "\"C:\\my state\\\\\"")]
    [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
    [InlineData(@"a\""b", "\"a\\\\\\\"b\"")]
    public void QuotesAnArgumentSoItIsReadBackAsItWas(string argument, string quoted) =>
        Assert.Equal(quoted, WindowsDetachedProcess.Quote(argument));
}
