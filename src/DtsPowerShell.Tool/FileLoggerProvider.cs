using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace DtsPowerShell.Tool;

/// <summary>
/// Writes log lines to one file (appended, owner-only where it is created), each line flushed: a killed worker leaves
/// its last words. A line that would take the file past <see cref="MaxBytes"/> first moves it to <c>.1</c> (and the older
/// ones a number up, the oldest of <see cref="KeptFiles"/> dropped), so a job that runs for months keeps its log bounded.
/// </summary>
internal sealed class FileLoggerProvider : ILoggerProvider
{
    public const long DefaultMaxBytes = 10 * 1024 * 1024;
    public const int DefaultKeptFiles = 4;

    private static readonly UTF8Encoding Utf8 = new(false);
    private readonly string path;
    private readonly Lock gate = new();
    private FileStream file;
    private long size;

    public FileLoggerProvider(string path, long maxBytes = DefaultMaxBytes, int keptFiles = DefaultKeptFiles)
    {
        this.path = path;
        MaxBytes = maxBytes;
        KeptFiles = keptFiles;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        (file, size) = Open(path);
    }

    /// <summary>The size a log file grows to before it is rotated.</summary>
    public long MaxBytes { get; }

    /// <summary>How many rotated files (<c>.1</c> newest) are kept beside the current one.</summary>
    public int KeptFiles { get; }

    public ILogger CreateLogger(string categoryName) => new FileLogger(this);

    public void Dispose() => file.Dispose();

    private static (FileStream File, long Size) Open(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.ReadWrite | FileShare.Delete };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var stream = new FileStream(path, options);
        return (stream, stream.Length);
    }

    private void Rotate()
    {
        file.Dispose();
        File.Delete($"{path}.{KeptFiles}");
        for (var i = KeptFiles - 1; i >= 1; i--)
        {
            if (File.Exists($"{path}.{i}"))
            {
                File.Move($"{path}.{i}", $"{path}.{i + 1}");
            }
        }

        if (KeptFiles > 0)
        {
            File.Move(path, $"{path}.1");
        }
        else
        {
            File.Delete(path);
        }

        (file, size) = Open(path);
    }

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

        var bytes = Utf8.GetBytes(line.AppendLine().ToString());
        lock (gate)
        {
            if (size > 0 && size + bytes.Length > MaxBytes)
            {
                Rotate();
            }

            file.Write(bytes);
            file.Flush();
            size += bytes.Length;
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
