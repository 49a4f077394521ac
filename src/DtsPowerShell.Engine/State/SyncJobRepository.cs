using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using DtsPowerShell.Engine.Connections;
using DtsPowerShell.Engine.Jobs;
using DtsPowerShell.Engine.Selection;
using Microsoft.Data.Sqlite;

namespace DtsPowerShell.Engine.State;

/// <summary>Jobs in the state file: create, read, remove, and the stored credentials a run needs.</summary>
public sealed class SyncJobRepository
{
    private const string IdAlphabet = "abcdefghijkmnpqrstuvwxyz23456789";
    private const string Columns =
        "id, name, source_host, source_port, source_user, source_ssl_mode, target_host, target_port, target_user, " +
        "target_ssl_mode, objects, mapping, initial_sync, state, created_at, last_precheck_at, source_ssl_ca, target_ssl_ca, start_position, conflict_policy, operations";

    private readonly StateStore store;

    internal SyncJobRepository(StateStore store) => this.store = store;

    public SyncJob Create(SyncJobDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var createdAt = DateTime.UtcNow;
        var name = string.IsNullOrWhiteSpace(definition.Name)
            ? "dts-" + createdAt.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)
            : definition.Name.Trim();
        using var connection = store.Connect();
        for (var attempt = 0; ; attempt++)
        {
            var id = NewId();
            using var insert = connection.CreateCommand();
            insert.CommandText =
                "INSERT INTO jobs (id, name, source_host, source_port, source_user, source_secret, source_ssl_mode, source_ssl_ca, " +
                "target_host, target_port, target_user, target_secret, target_ssl_mode, target_ssl_ca, objects, mapping, initial_sync, state, created_at, start_position, conflict_policy, operations) " +
                "VALUES ($id, $name, $sh, $sp, $su, $ss, $sm, $sc, $th, $tp, $tu, $ts, $tm, $tc, $objects, $mapping, $initial, $state, $created, $start, $conflicts, $operations)";
            insert.Parameters.AddWithValue("$id", id);
            insert.Parameters.AddWithValue("$name", name);
            AddChangeable(insert, id, definition);
            insert.Parameters.AddWithValue("$initial", (int)definition.InitialSync);
            insert.Parameters.AddWithValue("$state", nameof(SyncJobState.Created));
            insert.Parameters.AddWithValue("$created", createdAt.ToString("O", CultureInfo.InvariantCulture));
            insert.Parameters.AddWithValue("$start", (object?)definition.StartPosition ?? DBNull.Value);
            try
            {
                insert.ExecuteNonQuery();
                return Get(id)!;
            }
            catch (SqliteException e) when (e.SqliteExtendedErrorCode == 1555 && attempt < 5)
            {
                // SQLITE_CONSTRAINT_PRIMARYKEY: the random id was taken; draw another.
            }
        }
    }

    /// <summary>
    /// Replaces a stored job's name, accounts, passwords, TLS settings, objects, mapping, conflict policy and operations with those of
    /// <paramref name="definition"/> (its servers, initial sync and start position stay). With <paramref name="resetPrecheck"/>
    /// (what the precheck checked changed), its stored precheck is dropped: a job that was Ready or PrecheckFailed is
    /// Created again, and the next start checks it first.
    /// </summary>
    /// <returns>The job as stored now; null when it is not in the state file.</returns>
    public SyncJob? Update(string id, SyncJobDefinition definition, bool resetPrecheck)
    {
        ArgumentNullException.ThrowIfNull(definition);
        using var connection = store.Connect();
        using var transaction = connection.BeginTransaction();
        using var update = connection.CreateCommand();
        update.Transaction = transaction;
        update.CommandText =
            "UPDATE jobs SET name = $name, source_user = $su, source_secret = $ss, source_ssl_mode = $sm, source_ssl_ca = $sc, " +
            "target_user = $tu, target_secret = $ts, target_ssl_mode = $tm, target_ssl_ca = $tc, objects = $objects, mapping = $mapping, conflict_policy = $conflicts, operations = $operations WHERE id = $id";
        update.Parameters.AddWithValue("$id", id);
        update.Parameters.AddWithValue("$name", definition.Name ?? throw new ArgumentException("An update needs the job's name.", nameof(definition)));
        AddChangeable(update, id, definition);
        if (update.ExecuteNonQuery() == 0)
        {
            return null;
        }

        if (resetPrecheck)
        {
            using var reset = connection.CreateCommand();
            reset.Transaction = transaction;
            reset.CommandText =
                "DELETE FROM precheck_results WHERE job_id = $id;" +
                "UPDATE jobs SET last_precheck_at = NULL, state = CASE WHEN state IN ($ready, $failed) THEN $created ELSE state END WHERE id = $id;";
            reset.Parameters.AddWithValue("$id", id);
            reset.Parameters.AddWithValue("$ready", nameof(SyncJobState.Ready));
            reset.Parameters.AddWithValue("$failed", nameof(SyncJobState.PrecheckFailed));
            reset.Parameters.AddWithValue("$created", nameof(SyncJobState.Created));
            reset.ExecuteNonQuery();
        }

        transaction.Commit();
        return Get(id);
    }

    /// <summary>The parameters of what Set-DtsSyncJob can change (and a new job sets): accounts, secrets, TLS, objects, mapping, policy, operations.</summary>
    private void AddChangeable(SqliteCommand command, string id, SyncJobDefinition definition)
    {
        AddEndpoint(command, "s", definition.Source, store.Secrets.Protect(definition.Source.Password, SecretContext(id, "source")));
        AddEndpoint(command, "t", definition.Target, store.Secrets.Protect(definition.Target.Password, SecretContext(id, "target")));
        command.Parameters.AddWithValue("$objects", JsonSerializer.Serialize(definition.Selection.Objects.Select(o => o.ToString())));
        command.Parameters.AddWithValue("$mapping", JsonSerializer.Serialize(definition.Mapping.Entries));
        command.Parameters.AddWithValue("$conflicts", definition.ConflictPolicy.ToString());
        command.Parameters.AddWithValue("$operations", definition.Operations.ToString());
    }

    public IReadOnlyList<SyncJob> List() => Query("ORDER BY created_at, id", null);

    public SyncJob? Get(string id) => Query("WHERE id = $id", id).FirstOrDefault();

    public bool Remove(string id)
    {
        using var connection = store.Connect();
        using var delete = connection.CreateCommand();
        delete.CommandText = "DELETE FROM jobs WHERE id = $id";
        delete.Parameters.AddWithValue("$id", id);
        return delete.ExecuteNonQuery() > 0;
    }

    /// <summary>The source and target connection settings of a job, passwords decrypted.</summary>
    /// <exception cref="KeyNotFoundException">The job is not in this state file.</exception>
    /// <exception cref="InvalidOperationException">Its passwords cannot be decrypted (the key file is missing or another).</exception>
    public (ConnectionSettings Source, ConnectionSettings Target) GetConnections(SyncJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        using var connection = store.Connect();
        using var select = connection.CreateCommand();
        select.CommandText = "SELECT source_secret, target_secret FROM jobs WHERE id = $id";
        select.Parameters.AddWithValue("$id", job.Id);
        using var reader = select.ExecuteReader();
        if (!reader.Read())
        {
            throw new KeyNotFoundException($"Job {job.Id} is not in the state file '{store.Path}'.");
        }

        var sourcePassword = store.Secrets.Unprotect((byte[])reader[0], SecretContext(job.Id, "source"));
        var targetPassword = store.Secrets.Unprotect((byte[])reader[1], SecretContext(job.Id, "target"));
        return (new ConnectionSettings(job.SourceEndpoint, job.SourceUser, sourcePassword, job.SourceSslMode, job.SourceSslCa),
                new ConnectionSettings(job.TargetEndpoint, job.TargetUser, targetPassword, job.TargetSslMode, job.TargetSslCa));
    }

    private static string SecretContext(string id, string side) => $"job {id} {side} password";

    private static void AddEndpoint(SqliteCommand command, string prefix, ConnectionSettings settings, byte[] secret)
    {
        command.Parameters.AddWithValue($"${prefix}h", settings.Endpoint.Host);
        command.Parameters.AddWithValue($"${prefix}p", settings.Endpoint.Port);
        command.Parameters.AddWithValue($"${prefix}u", settings.User);
        command.Parameters.AddWithValue($"${prefix}s", secret);
        command.Parameters.AddWithValue($"${prefix}m", settings.SslMode.ToString());
        command.Parameters.AddWithValue($"${prefix}c", (object?)settings.SslCa ?? DBNull.Value);
    }

    private IReadOnlyList<SyncJob> Query(string clause, string? id)
    {
        using var connection = store.Connect();
        using var select = connection.CreateCommand();
        select.CommandText = $"SELECT {Columns} FROM jobs {clause}";
        if (id is not null)
        {
            select.Parameters.AddWithValue("$id", id);
        }

        using var reader = select.ExecuteReader();
        var jobs = new List<SyncJob>();
        while (reader.Read())
        {
            var selection = ObjectSelection.Parse(JsonSerializer.Deserialize<string[]>(reader.GetString(10))!);
            jobs.Add(new SyncJob(
                id: reader.GetString(0),
                name: reader.GetString(1),
                source: new ServerEndpoint(reader.GetString(2), reader.GetInt32(3)),
                sourceUser: reader.GetString(4),
                sourceSslMode: Enum.Parse<DtsSslMode>(reader.GetString(5)),
                sourceSslCa: reader.IsDBNull(16) ? null : reader.GetString(16),
                target: new ServerEndpoint(reader.GetString(6), reader.GetInt32(7)),
                targetUser: reader.GetString(8),
                targetSslMode: Enum.Parse<DtsSslMode>(reader.GetString(9)),
                targetSslCa: reader.IsDBNull(17) ? null : reader.GetString(17),
                selection: selection,
                mapping: JsonSerializer.Deserialize<SortedDictionary<string, string>>(reader.GetString(11))!,
                initialSync: (InitialSync)reader.GetInt32(12),
                state: Enum.Parse<SyncJobState>(reader.GetString(13)),
                createdAt: ParseTime(reader.GetString(14)),
                lastPrecheckAt: reader.IsDBNull(15) ? null : ParseTime(reader.GetString(15)),
                startPosition: reader.IsDBNull(18) ? null : reader.GetString(18),
                conflictPolicy: Enum.Parse<ConflictPolicy>(reader.GetString(19)),
                operations: Enum.Parse<SyncOperations>(reader.GetString(20))));
        }

        return jobs;
    }

    private static DateTime ParseTime(string text) => DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    private static string NewId() => string.Create(8, 0, (span, _) =>
    {
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = IdAlphabet[RandomNumberGenerator.GetInt32(IdAlphabet.Length)];
        }
    });
}
