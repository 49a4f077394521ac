using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace DtsPowerShell;

/// <summary>
/// Collects the engine's log lines from any thread, to be written as verbose messages on the pipeline
/// thread (PowerShell accepts output only there).
/// </summary>
internal sealed class VerboseLogger : ILogger
{
    private readonly ConcurrentQueue<string> lines = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        lines.Enqueue($"{logLevel}: {formatter(state, exception)}");
    }

    public void Drain(Action<string> write)
    {
        while (lines.TryDequeue(out var line))
        {
            write(line);
        }
    }
}
