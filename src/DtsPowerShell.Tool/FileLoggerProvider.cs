using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace DtsPowerShell.Tool;

/// <summary>Writes log lines to one file (appended, owner-only where it is created), each line flushed: a killed worker leaves its last words.</summary>
internal sealed class FileLoggerProvider : ILoggerProvider
{
    private readonly StreamWriter writer;
    private readonly Lock gate = new();

    public FileLoggerProvider(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.ReadWrite };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        writer = new StreamWriter(new FileStream(path, options), new UTF8Encoding(false)) { AutoFlush = true };
    }

    public ILogger CreateLogger(string categoryName) => new FileLogger(this);

    public void Dispose() => writer.Dispose();

    private void Write(LogLevel level, string message, Exception? error)
    {
        var line = new StringBuilder()
            .Append(DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture)).Append("Z ")
            .Append(level switch { LogLevel.Critical => "CRIT", LogLevel.Error => "FAIL", LogLevel.Warning => "WARN", LogLevel.Information => "INFO", _ => "DBUG" })
            .Append(' ').Append(message);
        if (error is not null)
        {
            line.AppendLine().Append(error);
        }

        lock (gate)
        {
            writer.WriteLine(line.ToString());
        }
    }

    private sealed class FileLogger(FileLoggerProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                provider.Write(logLevel, formatter(state, exception), exception);
            }
        }
    }
}
