using Microsoft.Data.Sqlite;

namespace DtsPowerShell.Engine.State;

/// <summary>
/// The job state file: one SQLite database in WAL mode, created owner-only, migrated to the current schema
/// on open. Many processes may read and write it at once.
/// </summary>
public sealed class StateStore
{
    private readonly string connectionString;
    private readonly Lazy<SecretProtector> secrets;

    private StateStore(string path)
    {
        Path = path;
        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString();
        secrets = new Lazy<SecretProtector>(() => SecretProtector.ForKeyFile(StatePaths.KeyPathFor(path), path, HoldsSecrets), LazyThreadSafetyMode.PublicationOnly);
        Jobs = new SyncJobRepository(this);
        Prechecks = new PrecheckRepository(this);
        Status = new SyncStatusRepository(this);
    }

    public string Path { get; }

    public SyncJobRepository Jobs { get; }

    public PrecheckRepository Prechecks { get; }

    public SyncStatusRepository Status { get; }

    /// <summary>The key for stored passwords, read when first needed (so a missing key stops only what needs it).</summary>
    internal SecretProtector Secrets => secrets.Value;

    /// <summary>Opens (creating and migrating where needed) the state file at <paramref name="path"/> or the default place.</summary>
    public static StateStore Open(string? path = null)
    {
        var resolved = StatePaths.Resolve(path);
        var folder = System.IO.Path.GetDirectoryName(resolved)!;
        if (!Directory.Exists(folder) && resolved != StatePaths.Default)
        {
            // A mistyped path would otherwise become a new, empty state file in a new folder, its jobs seemingly gone.
            throw new DtsInputException($"The folder '{folder}' of the job state file '{resolved}' does not exist.",
                $"Create the folder first (New-Item -ItemType Directory '{folder}'), or correct -StatePath (or {StatePaths.EnvironmentVariable}); without either, the state file is kept in your profile.");
        }

        OwnerOnlyFile.CreateIfMissing(resolved);
        var store = new StateStore(resolved);
        try
        {
            store.Migrate();
        }
        catch (SqliteException e)
        {
            throw Unusable(resolved, e);
        }

        return store;
    }

    /// <summary>What a user can do about a state file SQLite refuses (SQLite's primary result codes).</summary>
    private static DtsInputException Unusable(string path, SqliteException error) => (error.SqliteErrorCode & 0xff) switch
    {
        8 => ReadOnly(path, error.Message),
        11 or 26 => Damaged(path, error.Message),
        _ => new DtsInputException($"The job state file '{path}' cannot be used ({error.Message}).", "Check that the file and its folder are yours and writable, and that the disk is not full, or give another -StatePath."),
    };

    private static DtsInputException ReadOnly(string path, string what) =>
        new($"The job state file '{path}' is read-only ({what}).", $"Make it and its folder writable by you (chmod u+w '{path}'; lsattr shows an immutable attribute, chattr -i removes it), or give another -StatePath.");

    private static DtsInputException Damaged(string path, string what) => new(
        $"The job state file '{path}' is damaged ({what}).",
        $"Restore it and '{StatePaths.KeyPathFor(path)}' from a backup, or move it aside and create the jobs again (their target tables can be copied again with Start-DtsSync -Resync).");

    internal SqliteConnection Connect()
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 30000;";
        pragma.ExecuteNonQuery();
        return connection;
    }

    private bool HoldsSecrets()
    {
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT EXISTS (SELECT 1 FROM jobs);";
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) != 0;
    }

    private void Migrate()
    {
        using var connection = Connect();
        using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            wal.ExecuteNonQuery();
        }

        // SQLite opens a file it may not write read-only without a word; every job command writes, so say it here.
        if (SQLitePCL.raw.sqlite3_db_readonly(connection.Handle, "main") == 1)
        {
            throw ReadOnly(Path, "SQLite could open it for reading only");
        }

        // quick_check reads every page: a damaged file is named here, not met as a raw error in some later command.
        using (var check = connection.CreateCommand())
        {
            check.CommandText = "PRAGMA quick_check(1);";
            if (check.ExecuteScalar() is string result && result != "ok")
            {
                throw Damaged(Path, result);
            }
        }

        using var transaction = connection.BeginTransaction(deferred: false);
        var version = Convert.ToInt32(Scalar(connection, transaction, "PRAGMA user_version;"), System.Globalization.CultureInfo.InvariantCulture);
        if (version > StateMigrations.Steps.Length)
        {
            throw new InvalidOperationException(
                $"The state file '{Path}' has schema version {version}, newer than this module knows ({StateMigrations.Steps.Length}). " +
                "Update the DtsPowerShell module, or use another -StatePath.");
        }

        for (var step = version; step < StateMigrations.Steps.Length; step++)
        {
            Scalar(connection, transaction, StateMigrations.Steps[step]);
            Scalar(connection, transaction, $"PRAGMA user_version = {step + 1};");
        }

        transaction.Commit();
    }

    private static object? Scalar(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
