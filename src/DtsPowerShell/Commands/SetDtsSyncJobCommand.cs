using System.Collections;
using System.Globalization;
using System.Management.Automation;
using DtsPowerShell.Engine;
using DtsPowerShell.Engine.Connections;
using DtsPowerShell.Engine.Jobs;
using DtsPowerShell.Engine.Sync;

namespace DtsPowerShell.Commands;

/// <summary>
/// Changes stored jobs without recreating them: name, credentials, TLS, objects and mapping, conflict policy. A running
/// job's worker takes the change at its next start; the cmdlet says so.
/// </summary>
[Cmdlet(VerbsCommon.Set, "DtsSyncJob", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = JobParameterSets.ByInputObject)]
[OutputType(typeof(SyncJob))]
public sealed class SetDtsSyncJobCommand : JobCmdlet
{
    [Parameter(HelpMessage = "A new name for the job.")]
    [ValidateNotNullOrEmpty]
    public string? NewName { get; set; }

    [Parameter(HelpMessage = "The source account and password to use from now on (e.g. after a password rotation).")]
    [Credential]
    [ValidateNotNull]
    public PSCredential? SourceCredential { get; set; }

    [Parameter(HelpMessage = "The target account and password to use from now on.")]
    [Credential]
    [ValidateNotNull]
    public PSCredential? TargetCredential { get; set; }

    [Parameter(HelpMessage = "Connection security to the source: None, Preferred, Required, VerifyCA, VerifyFull.")]
    public DtsSslMode? SourceSslMode { get; set; }

    [Parameter(HelpMessage = "Connection security to the target: None, Preferred, Required, VerifyCA, VerifyFull.")]
    public DtsSslMode? TargetSslMode { get; set; }

    [Parameter(HelpMessage = "A PEM file of the authority that signed the source's certificate (with VerifyCA or VerifyFull); '' for the system's store.")]
    [AllowEmptyString]
    public string? SourceSslCa { get; set; }

    [Parameter(HelpMessage = "A PEM file of the authority that signed the target's certificate (with VerifyCA or VerifyFull); '' for the system's store.")]
    [AllowEmptyString]
    public string? TargetSslCa { get; set; }

    [Parameter(HelpMessage = "All the databases and tables the job syncs from now on (replacing its objects).")]
    [ValidateNotNullOrEmpty]
    public string[]? Object { get; set; }

    [Parameter(HelpMessage = "Databases or tables to sync as well: each gets its schema and full copy and joins the stream.")]
    [ValidateNotNullOrEmpty]
    public string[]? AddObject { get; set; }

    [Parameter(HelpMessage = "Databases or tables (as the job names them) to stop syncing; the target keeps their tables.")]
    [ValidateNotNullOrEmpty]
    public string[]? RemoveObject { get; set; }

    [Parameter(HelpMessage = "The whole name mapping from now on (as New-DtsSyncJob takes it); existing objects must keep their target names.")]
    public Hashtable? Mapping { get; set; }

    [Parameter(HelpMessage = "What a change that finds the target's row not as the source had it does: Fail, Ignore or Overwrite.")]
    public ConflictPolicy? ConflictPolicy { get; set; }

    [Parameter(HelpMessage = "The kinds of change the job applies from now on: Insert, Update, Delete, Ddl, or All.")]
    [ValidateNotNullOrEmpty]
    public SyncOperations[]? Operation { get; set; }

    [Parameter(HelpMessage = "Write the changed job to the pipeline.")]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var change = new SyncJobChange
        {
            Name = NewName,
            SourceLogin = Login(SourceCredential),
            TargetLogin = Login(TargetCredential),
            SourceSslMode = SourceSslMode,
            TargetSslMode = TargetSslMode,
            SourceSslCa = FullPath(SourceSslCa),
            TargetSslCa = FullPath(TargetSslCa),
            Objects = Object,
            AddObjects = AddObject,
            RemoveObjects = RemoveObject,
            Mapping = Mapping?.Cast<DictionaryEntry>().Select(e => new KeyValuePair<string, string>(
                Convert.ToString(e.Key, CultureInfo.InvariantCulture) ?? "", Convert.ToString(e.Value, CultureInfo.InvariantCulture) ?? "")).ToList(),
            ConflictPolicy = ConflictPolicy,
            Operations = Operation,
        };
        foreach (var job in SelectedJobs())
        {
            if (StoredConnections(job, terminating: false) is not { } connections)
            {
                continue;
            }

            SyncJobDefinition definition;
            IReadOnlyList<string> changed;
            try
            {
                (definition, changed) = change.ApplyTo(job, connections.Source, connections.Target, hasRun: JobControl.HasRun(Store, job));
            }
            catch (DtsInputException e)
            {
                WriteError(InputError(e, "InvalidJobChange", job));
                continue;
            }

            if (changed.Count == 0)
            {
                WriteWarning($"Sync job '{job.Name}' ({job.Id}): nothing differs from what it has; nothing was changed.");
                WritePassThru(job);
                continue;
            }

            if (!ShouldProcess($"sync job '{job.Name}' ({job.Id})", $"Change its {string.Join(", ", changed)}"))
            {
                continue;
            }

            if (Store.Jobs.Update(job.Id, definition, resetPrecheck: SyncJobChange.NeedsPrecheck(changed)) is not { } updated)
            {
                WriteError(JobResolver.NotInStateFile(job, Store.Path));
                continue;
            }

            if (JobControl.IsRunning(Store, job.Id))
            {
                WriteWarning($"Sync job '{job.Name}' ({job.Id}) is running: its worker takes the change when it next starts. Restart it: Stop-DtsSync -Id {job.Id}; Start-DtsSync -Id {job.Id}");
            }

            WritePassThru(updated);
        }
    }

    private void WritePassThru(SyncJob job)
    {
        if (PassThru)
        {
            WriteObject(job);
        }
    }

    private static (string User, string Password)? Login(PSCredential? credential) =>
        credential is null ? null : (credential.UserName ?? "", credential.GetNetworkCredential().Password);

    private string? FullPath(string? path) => string.IsNullOrEmpty(path) ? path : SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
}
