using System.Net.Sockets;
using DtsPowerShell.Engine.Sync;
using DtsPowerShell.Engine.Protocol;

namespace DtsPowerShell.Engine.Tests.Sync;

public sealed class TransientErrorsTests
{
    [Fact]
    public void DroppedLinksAndRestartingServersAreRetriedOtherErrorsAreNot()
    {
        Assert.True(TransientErrors.IsTransient(new IOException("reset")));
        Assert.True(TransientErrors.IsTransient(new SocketException()));
        Assert.True(TransientErrors.IsTransient(new MySqlServerException(1053, "08S01", "Server shutdown in progress")));
        Assert.True(TransientErrors.IsTransient(new InvalidOperationException("wrapped", new EndOfStreamException())));
        Assert.False(TransientErrors.IsTransient(new MySqlServerException(1062, "23000", "Duplicate entry")));
        Assert.False(TransientErrors.IsTransient(new InvalidDataException("bad event")));
    }
}
