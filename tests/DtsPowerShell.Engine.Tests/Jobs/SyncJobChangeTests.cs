using DtsPowerShell.Engine.Connections;
using DtsPowerShell.Engine.Jobs;
using DtsPowerShell.Engine.State;

namespace DtsPowerShell.Engine.Tests.Jobs;

/// <summary>Set-DtsSyncJob's rules, and the state file keeping a changed job whole.</summary>
public sealed class SyncJobChangeTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly StateStore store;
    private readonly SyncJob job;

    public SyncJobChangeTests()
    {
        store = StateStore.Open(temp.File("state.db"));
        job = store.Jobs.Create(JobFactory.Definition(objects: ["shop.orders", "crm"], mapping: new Dictionary<string, string> { ["crm"] = "crm_copy", ["shop.orders"] = "orders2" }) with { Name = "first" });
    }

    public void Dispose() => temp.Dispose();

    private (SyncJobDefinition Definition, IReadOnlyList<string> Changed) Apply(SyncJobChange change, bool hasRun = false)
    {
        var (source, target) = store.Jobs.GetConnections(job);
        return change.ApplyTo(job, source, target, hasRun);
    }

    [Fact]
    public void ARotatedPasswordIsStoredEncryptedAndDropsTheStoredPrecheck()
    {
        store.Prechecks.Save(job.Id, [Engine.Jobs.PrecheckResult.Passed(job.Id, "SourceConnection", "ok")], DateTime.UtcNow);
        var (definition, changed) = Apply(new SyncJobChange { SourceLogin = ("rotated", "new-secret-0003") });
        Assert.Equal(["source credentials"], changed);
        Assert.True(SyncJobChange.NeedsPrecheck(changed));

        var updated = store.Jobs.Update(job.Id, definition, resetPrecheck: true)!;
        Assert.Equal("rotated", updated.SourceUser);
        Assert.Equal(SyncJobState.Created, updated.State);
        Assert.Null(updated.LastPrecheckAt);
        Assert.Empty(store.Prechecks.GetLast(job.Id));
        var (source, target) = store.Jobs.GetConnections(updated);
        Assert.Equal("new-secret-0003", source.Password);
        Assert.Equal("target-secret-0002", target.Password);
        Assert.Equal(job.Id, updated.Id);
        Assert.Equal(job.CreatedAt, updated.CreatedAt);
    }

    [Fact]
    public void ObjectsAddedAndRemovedTakeTheirMappingEntriesAlong()
    {
        var (definition, changed) = Apply(new SyncJobChange { AddObjects = ["hr.people"], RemoveObjects = ["crm"] });
        Assert.Equal(["objects", "mapping"], changed);
        Assert.Equal(["shop.orders", "hr.people"], definition.Selection.Objects.Select(o => o.ToString()));
        Assert.Equal(new Dictionary<string, string> { ["shop.orders"] = "orders2" }, definition.Mapping.Entries);

        var updated = store.Jobs.Update(job.Id, definition, resetPrecheck: true)!;
        Assert.Equal(["shop.orders", "hr.people"], updated.Objects);
        Assert.Equal("orders2", updated.Mapping["shop.orders"]);
    }

    [Fact]
    public void NameAndPolicyAloneKeepThePrecheck()
    {
        var (_, changed) = Apply(new SyncJobChange { Name = " second ", ConflictPolicy = ConflictPolicy.Overwrite });
        Assert.Equal(["name", "conflict policy"], changed);
        Assert.False(SyncJobChange.NeedsPrecheck(changed));
        Assert.Empty(Apply(new SyncJobChange { Name = "first", ConflictPolicy = ConflictPolicy.Fail }).Changed);
    }

    [Fact]
    public void AModeWithoutVerificationDropsTheCaFile()
    {
        var ca = temp.File("ca.pem");
        using (var key = System.Security.Cryptography.ECDsa.Create())
        {
            var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=test CA", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            File.WriteAllText(ca, certificate.ExportCertificatePem());
        }

        var (verifying, _) = Apply(new SyncJobChange { TargetSslMode = DtsSslMode.VerifyFull, TargetSslCa = ca });
        Assert.Equal(ca, verifying.Target.SslCa);
        var stored = store.Jobs.Update(job.Id, verifying, resetPrecheck: true)!;
        var (source, target) = store.Jobs.GetConnections(stored);
        var (plain, changed) = new SyncJobChange { TargetSslMode = DtsSslMode.Required }.ApplyTo(stored, source, target, hasRun: false);
        Assert.Null(plain.Target.SslCa);
        Assert.Equal(["target TLS"], changed);
        Assert.Throws<DtsInputException>(() => Apply(new SyncJobChange { SourceSslCa = ca }));
    }

    [Theory]
    [InlineData("renames what it syncs", "remove it")]
    [InlineData("an object it does not name", "does not name")]
    [InlineData("-Object with -AddObject", "cannot be combined")]
    [InlineData("no object left", "No object")]
    [InlineData("a blank name", "blank")]
    public void RefusesWhatTheJobCannotTake(string change, string says)
    {
        var request = change switch
        {
            "renames what it syncs" => new SyncJobChange { Mapping = [new("crm", "crm_elsewhere")] },
            "an object it does not name" => new SyncJobChange { RemoveObjects = ["shop.nope"] },
            "-Object with -AddObject" => new SyncJobChange { Objects = ["crm"], AddObjects = ["hr"] },
            "no object left" => new SyncJobChange { RemoveObjects = ["crm", "shop.orders"] },
            _ => new SyncJobChange { Name = "  " },
        };
        var error = Assert.Throws<DtsInputException>(() => Apply(request, hasRun: true));
        Assert.Contains(says, error.Message + " " + error.Remedy, StringComparison.Ordinal);
    }

    [Fact]
    public void AJobThatHasNotRunMayRenameItsObjects() =>
        Assert.Equal("crm_elsewhere", Apply(new SyncJobChange { Mapping = [new("crm", "crm_elsewhere")] }).Definition.Mapping.Entries["crm"]);
}
