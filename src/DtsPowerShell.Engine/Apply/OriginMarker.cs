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
        $"INSERT INTO {Table} (job_id, origin, marks) VALUES ({SqlText.Quote(jobId)}, {SqlText.Quote(origin)}, 1) ON DUPLICATE KEY UPDATE origin = VALUES(origin), marks = marks + 1";

    /// <summary>How a server names itself to every account (host name and port): both halves of a pair see the same name.</summary>
    public static async Task<string> ServerNameAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return Convert.ToString(await connection.ScalarAsync("SELECT CONCAT(@@hostname, ':', @@port)", cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) ?? "";
    }

    public static Task CreateAsync(MySqlConnection target, CancellationToken cancellationToken) =>
        target.ExecuteAsync($"CREATE DATABASE IF NOT EXISTS `{DtsObjects.Database}`;" +
            $"CREATE TABLE IF NOT EXISTS {Table} (job_id VARCHAR(64) NOT NULL PRIMARY KEY, origin VARCHAR(320) NOT NULL, marks BIGINT UNSIGNED NOT NULL) ENGINE=InnoDB", cancellationToken);

    /// <summary>Marks the open transaction (the first statement in it).</summary>
    public Task WriteAsync(MySqlConnection target, MySqlTransaction? transaction, CancellationToken cancellationToken) =>
        target.ExecuteAsync(Statement, cancellationToken, transaction);

    /// <summary>Whether a rows event is a mark that its transaction came from <paramref name="server"/>.</summary>
    public static bool Marks(RowsEvent rows, string server)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if ((rows.Table.Database, rows.Table.Table) != (DtsObjects.Database, DtsObjects.OriginTable) || rows.Kind == RowsEventKind.Delete)
        {
            return false;
        }

        // Without binlog column metadata a VARCHAR arrives as bytes; the origin is the second column either way.
        return rows.Rows.Any(row => row.After is [_, var value, ..] && string.Equals(value switch
        {
            string text => text,
            byte[] bytes => Encoding.UTF8.GetString(bytes),
            _ => null,
        }, server, StringComparison.OrdinalIgnoreCase));
    }
}
