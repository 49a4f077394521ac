using System.Text;
using DtsPowerShell.Engine.Jobs;
using DtsPowerShell.Engine.State;
using Microsoft.Data.Sqlite;

namespace DtsPowerShell.Engine.Tests.State;

public class StateStoreTests
{
    [Fact]
    public void Creates_the_state_file_and_key_for_the_owner_only()
    {
        using var temp = new TempDirectory();
        var path = temp.File("state.db");
        var store = StateStore.Open(path);
        store.Jobs.Create(JobFactory.Definition());
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        const UnixFileMode ownerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        Assert.Equal(ownerReadWrite, File.GetUnixFileMode(path));
        Assert.Equal(ownerReadWrite, File.GetUnixFileMode(StatePaths.KeyPathFor(path)));
        foreach (var sidecar in new[] { path + "-wal", path + "-shm" }.Where(File.Exists))
        {
            Assert.Equal(ownerReadWrite, File.GetUnixFileMode(sidecar));
        }
    }

    [Fact]
    public void Refuses_a_state_file_in_a_folder_that_does_not_exist_naming_it()
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "no", "such", "state.db");
        var error = Assert.Throws<DtsInputException>(() => StateStore.Open(path));
        Assert.Contains(Path.Combine(temp.Path, "no", "such"), error.Message, StringComparison.Ordinal);
        Assert.Contains("New-Item", error.Remedy, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(temp.Path, "no")));
    }

    [Fact]
    public void Creates_the_folder_of_the_profile_state_file_for_the_owner_only()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        using var temp = new TempDirectory();
        var previous = (Data: Environment.GetEnvironmentVariable("XDG_DATA_HOME"), State: Environment.GetEnvironmentVariable(StatePaths.EnvironmentVariable));
        try
        {
            Environment.SetEnvironmentVariable("XDG_DATA_HOME", temp.Path);
            Environment.SetEnvironmentVariable(StatePaths.EnvironmentVariable, null);
            StateStore.Open().Jobs.Create(JobFactory.Definition());
            var folder = Path.Combine(temp.Path, "DtsPowerShell");
            Assert.True(File.Exists(Path.Combine(folder, "state.db")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
        }
        finally
        {
            Environment.SetEnvironmentVariable("XDG_DATA_HOME", previous.Data);
            Environment.SetEnvironmentVariable(StatePaths.EnvironmentVariable, previous.State);
        }
    }

    [Fact]
    public void Uses_write_ahead_logging_and_the_latest_schema_version()
    {
        using var temp = new TempDirectory();
        StateStore.Open(temp.File("state.db"));
        using var connection = new SqliteConnection($"Data Source={temp.File("state.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", command.ExecuteScalar());
        command.CommandText = "PRAGMA user_version";
        Assert.Equal((long)StateMigrations.Steps.Length, command.ExecuteScalar());
    }

    [Fact]
    public void Refuses_a_state_file_from_a_newer_version_with_a_remedy()
    {
        using var temp = new TempDirectory();
        StateStore.Open(temp.File("state.db"));
        using (var connection = new SqliteConnection($"Data Source={temp.File("state.db")};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA user_version = {StateMigrations.Steps.Length + 1}";
            command.ExecuteNonQuery();
        }

        var error = Assert.Throws<InvalidOperationException>(() => StateStore.Open(temp.File("state.db")));
        Assert.Contains("Update the DtsPowerShell module", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Never_writes_a_password_into_the_state_file()
    {
        using var temp = new TempDirectory();
        var store = StateStore.Open(temp.File("state.db"));
        var job = store.Jobs.Create(JobFactory.Definition(sourcePassword: "Pa55-source-Ωmega", targetPassword: "Pa55-target-Ωmega"));
        Assert.Equal("Pa55-source-Ωmega", store.Jobs.GetConnections(job).Source.Password);
        Assert.Equal("Pa55-target-Ωmega", store.Jobs.GetConnections(job).Target.Password);

        foreach (var file in Directory.GetFiles(temp.Path))
        {
            var bytes = File.ReadAllBytes(file);
            foreach (var secret in new[] { "Pa55-source-Ωmega", "Pa55-target-Ωmega" })
            {
                Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)));
                Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(secret)));
            }
        }
    }

    [Fact]
    public void Says_which_key_file_to_restore_when_the_key_does_not_fit()
    {
        using var temp = new TempDirectory();
        var job = StateStore.Open(temp.File("state.db")).Jobs.Create(JobFactory.Definition());
        File.WriteAllBytes(StatePaths.KeyPathFor(temp.File("state.db")), new byte[32]);
        var reopened = StateStore.Open(temp.File("state.db"));
        var error = Assert.Throws<InvalidOperationException>(() => reopened.Jobs.GetConnections(job));
        Assert.Contains("key file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Never_replaces_a_missing_key_while_passwords_are_stored_with_it()
    {
        using var temp = new TempDirectory();
        var path = temp.File("state.db");
        var job = StateStore.Open(path).Jobs.Create(JobFactory.Definition());
        File.Delete(StatePaths.KeyPathFor(path));

        var reopened = StateStore.Open(path);
        var unreadable = Assert.Throws<InvalidOperationException>(() => reopened.Jobs.GetConnections(job));
        Assert.Contains(StatePaths.KeyPathFor(path), unreadable.Message, StringComparison.Ordinal);
        Assert.Contains("Restore the key file", unreadable.Message, StringComparison.Ordinal);
        var refused = Assert.Throws<InvalidOperationException>(() => reopened.Jobs.Create(JobFactory.Definition(sourcePassword: "second-secret")));
        Assert.Contains("store the credentials again", refused.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(StatePaths.KeyPathFor(path)));
        Assert.Single(reopened.Jobs.List());

        // With the jobs removed, nothing needs the old key: a new job gets a new one.
        reopened.Jobs.Remove(job.Id);
        var fresh = StateStore.Open(path).Jobs.Create(JobFactory.Definition(sourcePassword: "second-secret"));
        Assert.True(File.Exists(StatePaths.KeyPathFor(path)));
        Assert.Equal("second-secret", StateStore.Open(path).Jobs.GetConnections(fresh).Source.Password);
    }

    [Fact]
    public void Names_a_damaged_state_file_and_what_to_do_on_open()
    {
        using var temp = new TempDirectory();
        var garbage = temp.File("garbage.db");
        File.WriteAllBytes(garbage, Enumerable.Repeat((byte)0x5a, 8192).ToArray());
        var notADatabase = Assert.Throws<DtsInputException>(() => StateStore.Open(garbage));
        Assert.Contains(garbage, notADatabase.Message, StringComparison.Ordinal);
        Assert.Contains("backup", notADatabase.Remedy, StringComparison.Ordinal);

        // A valid header with a damaged page behind it is found by the check on open.
        var path = temp.File("state.db");
        var store = StateStore.Open(path);
        for (var i = 0; i < 40; i++)
        {
            store.Jobs.Create(JobFactory.Definition(objects: Enumerable.Range(0, 30).Select(j => $"database_{i}_{j}").ToArray()));
        }

        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 3 * 4096, $"the file has {bytes.Length} bytes");
        Array.Fill(bytes, (byte)0xa5, bytes.Length - 4096 + 8, 2000);
        File.WriteAllBytes(path, bytes);
        var damaged = Assert.Throws<DtsInputException>(() => StateStore.Open(path));
        Assert.Contains("damaged", damaged.Message, StringComparison.Ordinal);
        Assert.Contains(path, damaged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_a_state_file_that_cannot_be_written_and_what_to_do()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        using var temp = new TempDirectory();
        var path = temp.File("state.db");
        StateStore.Open(path).Jobs.Create(JobFactory.Definition());
        SqliteConnection.ClearAllPools();
        // Root, as CI runs, writes whatever the file's mode says; the immutable attribute stops every writer.
        Chattr("+i", path);
        try
        {
            var readOnly = Assert.Throws<DtsInputException>(() => StateStore.Open(path));
            Assert.Contains(path, readOnly.Message, StringComparison.Ordinal);
            Assert.Contains("read-only", readOnly.Message, StringComparison.Ordinal);
            Assert.Contains("writable", readOnly.Remedy, StringComparison.Ordinal);
        }
        finally
        {
            Chattr("-i", path);
        }
    }

    private static void Chattr(string attribute, string path)
    {
        using var chattr = System.Diagnostics.Process.Start("chattr", [attribute, path]);
        Assert.True(chattr.WaitForExit(10_000) && chattr.ExitCode == 0, $"chattr {attribute} {path} failed");
    }

    [Fact]
    public void Stores_jobs_that_a_second_opener_sees_and_removes()
    {
        using var temp = new TempDirectory();
        var first = StateStore.Open(temp.File("state.db"));
        var created = first.Jobs.Create(JobFactory.Definition(objects: ["shop", "`my.db`.`t`"], mapping: new Dictionary<string, string> { ["shop"] = "shop_copy" }));

        var second = StateStore.Open(temp.File("state.db"));
        var read = Assert.Single(second.Jobs.List());
        Assert.Equal(created.Id, read.Id);
        Assert.Matches("^[a-z2-9]{8}$", read.Id);
        Assert.StartsWith("dts-", read.Name, StringComparison.Ordinal);
        Assert.Equal(["shop", "`my.db`.t"], read.Objects);
        Assert.Equal("shop_copy", read.Mapping["shop"]);
        Assert.Equal(InitialSync.Schema | InitialSync.Data, read.InitialSync);
        Assert.Equal(SyncJobState.Created, read.State);
        Assert.Equal("127.0.0.1:3306", read.Source);

        Assert.True(second.Jobs.Remove(created.Id));
        Assert.Empty(first.Jobs.List());
        Assert.False(first.Jobs.Remove(created.Id));
    }

    [Fact]
    public void Saving_a_precheck_sets_the_job_state_and_keeps_only_the_last_results()
    {
        using var temp = new TempDirectory();
        var store = StateStore.Open(temp.File("state.db"));
        var job = store.Jobs.Create(JobFactory.Definition());

        store.Prechecks.Save(job.Id, [PrecheckResult.Failed(job.Id, "SourceBinlog", "off", "turn it on")], DateTime.UtcNow);
        Assert.Equal(SyncJobState.PrecheckFailed, store.Jobs.Get(job.Id)!.State);
        Assert.NotNull(store.Jobs.Get(job.Id)!.LastPrecheckAt);

        store.Prechecks.Save(job.Id, [PrecheckResult.Passed(job.Id, "SourceBinlog", "on"), PrecheckResult.Warning(job.Id, "SourcePrimaryKeys", "t", "add one")], DateTime.UtcNow);
        Assert.Equal(SyncJobState.Ready, store.Jobs.Get(job.Id)!.State);
        var last = store.Prechecks.GetLast(job.Id);
        Assert.Equal(["SourceBinlog", "SourcePrimaryKeys"], last.Select(r => r.Check));
        Assert.Equal("add one", last[1].Remedy);

        store.Jobs.Remove(job.Id);
        Assert.Empty(store.Prechecks.GetLast(job.Id));
    }

    [Fact]
    public void Resolves_the_path_from_the_argument_then_the_environment_then_the_profile()
    {
        var previous = Environment.GetEnvironmentVariable(StatePaths.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(StatePaths.EnvironmentVariable, "/tmp/from-env/state.db");
            Assert.Equal(Path.GetFullPath("/tmp/explicit.db"), StatePaths.Resolve("/tmp/explicit.db"));
            Assert.Equal(Path.GetFullPath("/tmp/from-env/state.db"), StatePaths.Resolve(null));
            Environment.SetEnvironmentVariable(StatePaths.EnvironmentVariable, null);
            Assert.EndsWith(Path.Combine("DtsPowerShell", "state.db"), StatePaths.Resolve(null), StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(StatePaths.EnvironmentVariable, previous);
        }
    }
}
