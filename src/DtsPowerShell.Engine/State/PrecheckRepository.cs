using System.Globalization;
using DtsPowerShell.Engine.Jobs;

namespace DtsPowerShell.Engine.State;

/// <summary>The last precheck of each job; saving one also sets the job's state to Ready or PrecheckFailed.</summary>
public sealed class PrecheckRepository
{
    private readonly StateStore store;

    internal PrecheckRepository(StateStore store) => this.store = store;

    public void Save(string jobId, IReadOnlyList<PrecheckResult> results, DateTime checkedAt)
    {
        ArgumentNullException.ThrowIfNull(results);
        var state = results.Any(r => r.Status == PrecheckStatus.Failed) ? SyncJobState.PrecheckFailed : SyncJobState.Ready;
        var at = checkedAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
        using var connection = store.Connect();
        using var transaction = connection.BeginTransaction(deferred: false);
        using (var update = connection.CreateCommand())
        {
            update.Transaction = transaction;
            update.CommandText = "UPDATE jobs SET state = $state, last_precheck_at = $at WHERE id = $id; DELETE FROM precheck_results WHERE job_id = $id;";
            update.Parameters.AddWithValue("$state", state.ToString());
            update.Parameters.AddWithValue("$at", at);
            update.Parameters.AddWithValue("$id", jobId);
            if (update.ExecuteNonQuery() == 0)
            {
                throw new InvalidOperationException($"Job {jobId} was removed while its precheck ran; the results were not stored.");
            }
        }

        for (var i = 0; i < results.Count; i++)
        {
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO precheck_results (job_id, seq, check_name, status, message, remedy, checked_at) VALUES ($id, $seq, $check, $status, $message, $remedy, $at)";
            insert.Parameters.AddWithValue("$id", jobId);
            insert.Parameters.AddWithValue("$seq", i);
            insert.Parameters.AddWithValue("$check", results[i].Check);
            insert.Parameters.AddWithValue("$status", results[i].Status.ToString());
            insert.Parameters.AddWithValue("$message", results[i].Message);
            insert.Parameters.AddWithValue("$remedy", (object?)results[i].Remedy ?? DBNull.Value);
            insert.Parameters.AddWithValue("$at", at);
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    public IReadOnlyList<PrecheckResult> GetLast(string jobId)
    {
        using var connection = store.Connect();
        using var select = connection.CreateCommand();
        select.CommandText = "SELECT check_name, status, message, remedy FROM precheck_results WHERE job_id = $id ORDER BY seq";
        select.Parameters.AddWithValue("$id", jobId);
        using var reader = select.ExecuteReader();
        var results = new List<PrecheckResult>();
        while (reader.Read())
        {
            results.Add(new PrecheckResult(jobId, reader.GetString(0), Enum.Parse<PrecheckStatus>(reader.GetString(1)), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
        }

        return results;
    }
}
