using System.Globalization;
using DtsPowerShell.Engine.Connections;
using Microsoft.Extensions.Logging;
using MySqlConnector;
using DtsPowerShell.Engine.Selection;

namespace DtsPowerShell.Engine.Sync;

/// <summary>
/// Writes the job's row in the source's heartbeat table about once a second, stamped with this process's clock, so
/// the applier measures latency when the row arrives applied. An account that may not write it gets a warning once;
/// latency then comes from event times.
/// </summary>
internal sealed class HeartbeatWriter(ConnectionSettings source, string jobId, TimeSpan timeout, ILogger log)
{
    private static readonly string Table = $"{QualifiedName.Quote(DtsObjects.Database)}.{QualifiedName.Quote(DtsObjects.HeartbeatTable)}";

    /// <summary>Writes until cancelled; never throws: a heartbeat that fails must not stop or hide anything else.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await WriteAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (MySqlException e) when (!TransientErrors.IsTransient(e))
            {
                log.LogWarning("No heartbeat on the source ({Error}); latency is measured from event times, to the second.", e.Message);
                return;
            }
            catch (Exception e)
            {
                log.LogDebug("The heartbeat failed ({Error}); trying again.", e.Message);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task WriteAsync(CancellationToken cancellationToken)
    {
        await using var connection = await MySqlConnectionFactory.OpenForSyncAsync(source, timeout, cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(
            $"CREATE DATABASE IF NOT EXISTS {QualifiedName.Quote(DtsObjects.Database)}; CREATE TABLE IF NOT EXISTS {Table} (job_id VARCHAR(64) NOT NULL PRIMARY KEY, written_at BIGINT NOT NULL) ENGINE=InnoDB",
            cancellationToken).ConfigureAwait(false);
        while (!cancellationToken.IsCancellationRequested)
        {
            var microseconds = (DateTime.UtcNow - DateTime.UnixEpoch).Ticks / 10;
            await connection.ExecuteAsync(string.Create(CultureInfo.InvariantCulture, $"INSERT INTO {Table} (job_id, written_at) VALUES ({SqlText.Quote(jobId)}, {microseconds}) ON DUPLICATE KEY UPDATE written_at = VALUES(written_at)"), cancellationToken).ConfigureAwait(false);
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
        }
    }
}
