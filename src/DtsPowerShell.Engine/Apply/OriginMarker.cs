using System.Text;
using DtsPowerShell.Engine.Binlog.Events;
using DtsPowerShell.Engine.Connections;
using MySqlConnector;

namespace DtsPowerShell.Engine.Apply;

/// <summary>
/// Marks every transaction a job writes on its target with the server its changes come from: the first statement of
/// the transaction writes the job's row of <c>_dts.txn_origin</c>. In a two-way pair, the job that reads that target as
/// its source finds the mark at the start of the transaction in the binlog and leaves the transaction out, so no
/// change goes back to the server it came from. A cascade (A to B to C) is not affected: the B to C job's target is
/// not the origin the A to B job marks.
/// </summary>
public sealed class OriginMarker(string jobId, string origin)
{
    private const string Table = $"`{DtsObjects.Database}`.`{DtsObjects.OriginTable}`";

    /// <summary>The server the job's changes come from, as its marks name it.</summary>
    public string Origin { get; } = origin;

    /// <summary>The statement that marks a transaction; it changes the row every time (a write that changes nothing is not logged).</summary>
    public string Statement { get; } =
        $"INSERT INTO {Table} (job_id, origin, marks, session) VALUES ({SqlText.Quote(jobId)}, {SqlText.Quote(origin)}, 1, CONNECTION_ID()) " +
        "ON DUPLICATE KEY UPDATE origin = VALUES(origin), marks = marks + 1, session = VALUES(session)";

    private const string PeerStatements = $"`{DtsObjects.Database}`.`{DtsObjects.PeerStatementTable}`";

    /// <summary>How a server names itself to every account (host name and port): both halves of a pair see the same name.</summary>
    public static async Task<string> ServerNameAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return Convert.ToString(await connection.ScalarAsync("SELECT CONCAT(@@hostname, ':', @@port)", cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) ?? "";
    }

    public static Task CreateAsync(MySqlConnection target, CancellationToken cancellationToken) =>
        target.ExecuteAsync($"CREATE DATABASE IF NOT EXISTS `{DtsObjects.Database}`;" +
            $"CREATE TABLE IF NOT EXISTS {Table} (job_id VARCHAR(64) NOT NULL PRIMARY KEY, origin VARCHAR(320) NOT NULL, marks BIGINT UNSIGNED NOT NULL, session BIGINT UNSIGNED NOT NULL) ENGINE=InnoDB;" +
            $"CREATE TABLE IF NOT EXISTS {PeerStatements} (job_id VARCHAR(64) NOT NULL, peer_job_id VARCHAR(64) NOT NULL, session BIGINT UNSIGNED NOT NULL, PRIMARY KEY (job_id, peer_job_id)) ENGINE=InnoDB", cancellationToken);

    /// <summary>
    /// The sessions in which the other half of a pair is about to run a statement on this job's source, by that job,
    /// as this job's checkpoint last saved them (written with the checkpoint, so a restart knows them).
    /// </summary>
    public static async Task<Dictionary<string, ulong>> PeerSessionsAsync(MySqlConnection target, string jobId, CancellationToken cancellationToken)
    {
        var sessions = new Dictionary<string, ulong>(StringComparer.Ordinal);
        await target.EachRowAsync($"SELECT peer_job_id, session FROM {PeerStatements} WHERE job_id = @job", row => sessions[row.GetString(0)] = row.GetUInt64(1), cancellationToken, ("@job", jobId)).ConfigureAwait(false);
        return sessions;
    }

    /// <summary>Saves the peer sessions in the transaction of the checkpoint they hold at.</summary>
    public static Task SavePeerSessionsAsync(MySqlConnection target, MySqlTransaction transaction, string jobId, IReadOnlyDictionary<string, ulong> sessions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        var rows = string.Join(",", sessions.Select(s => $"({SqlText.Quote(jobId)}, {SqlText.Quote(s.Key)}, {s.Value})"));
        return target.ExecuteAsync($"DELETE FROM {PeerStatements} WHERE job_id = @job" + (rows.Length == 0 ? "" : $"; INSERT INTO {PeerStatements} (job_id, peer_job_id, session) VALUES {rows}"),
            cancellationToken, transaction, ("@job", jobId));
    }

    /// <summary>Marks the open transaction (the first statement in it).</summary>
    public Task WriteAsync(MySqlConnection target, MySqlTransaction? transaction, CancellationToken cancellationToken) =>
        target.ExecuteAsync(Statement, cancellationToken, transaction);

    /// <summary>
    /// When a rows event is a mark that its transaction came from <paramref name="server"/>: the job that wrote it and
    /// the session it wrote it in; otherwise null.
    /// </summary>
    public static (string Job, ulong Session)? FromServer(RowsEvent rows, string server)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if ((rows.Table.Database, rows.Table.Table) != (DtsObjects.Database, DtsObjects.OriginTable) || rows.Kind == RowsEventKind.Delete)
        {
            return null;
        }

        // Without binlog column metadata a VARCHAR arrives as bytes.
        foreach (var row in rows.Rows)
        {
            if (row.After is [var job, var origin, _, var session, ..] && string.Equals(Text(origin), server, StringComparison.OrdinalIgnoreCase) && Text(job) is { } jobId)
            {
                return (jobId, Convert.ToUInt64(session, System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return null;
    }

    /// <summary>The job id of a row of the DDL journal's pending table.</summary>
    public static string? JobOf(object?[]? row) => row is [var job, ..] ? Text(job) : null;

    private static string? Text(object? value) => value switch
    {
        string text => text,
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        _ => null,
    };
}
