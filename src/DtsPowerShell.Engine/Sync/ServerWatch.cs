using System.Diagnostics;
using DtsPowerShell.Engine.Connections;
using Microsoft.Extensions.Logging;
using MySqlConnector;

namespace DtsPowerShell.Engine.Sync;

/// <summary>
/// Asks one server a trivial question every couple of seconds on a connection of its own, with a short timeout, so a
/// server that has stopped answering (frozen, overloaded, a link that drops packets) is seen within seconds, while the
/// sync's own statements, which may rightly run for long, simply wait for it.
/// </summary>
internal sealed class ServerWatch(string side, ConnectionSettings settings, ILogger log)
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(5);
    private readonly Stopwatch sinceAnswer = Stopwatch.StartNew();
    private volatile bool answering = true;

    /// <summary>How long the server has not answered once it has missed an answer; null while it answers.</summary>
    public TimeSpan? Silent => answering ? null : sinceAnswer.Elapsed;

    /// <summary>"The target (host:port) has not answered for N s …", or null while it answers.</summary>
    public string? Describe() => Silent is { } silent
        ? $"The {side} ({settings.Endpoint}) has not answered for {silent.TotalSeconds:0} s (frozen, overloaded or unreachable); the job waits for it and goes on by itself when it answers."
        : null;

    /// <summary>Watches until cancelled; never throws.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        MySqlConnection? connection = null;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    attempt.CancelAfter(AnswerTimeout);
                    connection ??= await MySqlConnectionFactory.OpenForSyncAsync(settings, AnswerTimeout, attempt.Token).ConfigureAwait(false);
                    await using (var ping = new MySqlCommand("SELECT 1", connection) { CommandTimeout = (int)AnswerTimeout.TotalSeconds })
                    {
                        await ping.ExecuteScalarAsync(attempt.Token).ConfigureAwait(false);
                    }

                    if (!answering)
                    {
                        log.LogInformation("The {Side} answers again.", side);
                    }

                    answering = true;
                    sinceAnswer.Restart();
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is MySqlException or OperationCanceledException or IOException or InvalidOperationException or System.Net.Sockets.SocketException)
                {
                    if (answering)
                    {
                        log.LogWarning("The {Side} did not answer within {Seconds} s: {Error}", side, AnswerTimeout.TotalSeconds, e.Message);
                    }

                    answering = false;
                    if (connection is not null)
                    {
                        // Closing a link to a frozen server must not wait for it.
                        _ = connection.DisposeAsync().AsTask();
                        connection = null;
                    }
                }

                await Task.Delay(Period, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            if (connection is not null)
            {
                _ = connection.DisposeAsync().AsTask();
            }
        }
    }
}
