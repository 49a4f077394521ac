using DtsPowerShell.TestServers;

namespace DtsPowerShell.Engine.Tests;

/// <summary>A source and a target MariaDB server shared by the integration tests of one collection.</summary>
public sealed class MariaDbPair : IDisposable
{
    public MariaDbPair()
    {
        var source = Task.Run(() => MariaDbServer.Start());
        var target = Task.Run(() => MariaDbServer.Start());
        Source = source.GetAwaiter().GetResult();
        Target = target.GetAwaiter().GetResult();
    }

    public MariaDbServer Source { get; }

    public MariaDbServer Target { get; }

    public void Dispose()
    {
        Source.Dispose();
        Target.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class MariaDbCollection : ICollectionFixture<MariaDbPair>
{
    public const string Name = "MariaDB servers";
}
