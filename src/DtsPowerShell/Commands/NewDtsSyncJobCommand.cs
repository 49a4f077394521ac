using System.Collections;
using System.Globalization;
using System.Management.Automation;
using DtsPowerShell.Engine;
using DtsPowerShell.Engine.Binlog;
using DtsPowerShell.Engine.Connections;
using DtsPowerShell.Engine.Jobs;
using DtsPowerShell.Engine.Selection;

namespace DtsPowerShell.Commands;

/// <summary>Creates a sync job in the state file.</summary>
[Cmdlet(VerbsCommon.New, "DtsSyncJob", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = DefineSet)]
[OutputType(typeof(SyncJob))]
public sealed class NewDtsSyncJobCommand : DtsCmdlet
{
    private const string DefineSet = "Define";
    private const string ReverseSet = "Reverse";
    private const string ReversePipedSet = "ReversePiped";

    [Parameter(HelpMessage = "A name for the job; generated when omitted. Names need not be unique.")]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = DefineSet, HelpMessage = "The source server: host or host:port (port 3306 by default).")]
    [ValidateNotNullOrEmpty]
    public string Source { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = DefineSet, HelpMessage = "Account on the source with REPLICATION SLAVE, REPLICATION CLIENT and SELECT.")]
    [Credential]
    [ValidateNotNull]
    public PSCredential SourceCredential { get; set; } = PSCredential.Empty;

    [Parameter(Mandatory = true, ParameterSetName = DefineSet, HelpMessage = "The target server: host or host:port (port 3306 by default).")]
    [ValidateNotNullOrEmpty]
    public string Target { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = DefineSet, HelpMessage = "Account on the target that may create and write the mapped objects.")]
    [Credential]
    [ValidateNotNull]
    public PSCredential TargetCredential { get; set; } = PSCredential.Empty;

    [Parameter(Mandatory = true, ParameterSetName = DefineSet, HelpMessage = "Databases ('shop') or tables ('shop.orders') to sync; back-quote names with dots.")]
    [ValidateNotNullOrEmpty]
    public string[] Object { get; set; } = [];

    [Parameter(ParameterSetName = DefineSet, HelpMessage = "Target names: @{ 'db' = 'newdb'; 'db.table' = 'newtable' or 'newdb.newtable'; 'db.table.column' = 'newcolumn' }.")]
    public Hashtable? Mapping { get; set; }

    [Parameter(ParameterSetName = DefineSet, HelpMessage = "What to copy before incremental sync: Schema, Data (both by default), or None.")]
    [ValidateSet("Schema", "Data", "None")]
    public string[] InitialSync { get; set; } = ["Schema", "Data"];

    [Parameter(ParameterSetName = DefineSet, HelpMessage = "Connection security to the source: None, Preferred, Required, VerifyCA, VerifyFull.")]
    public DtsSslMode SourceSslMode { get; set; } = DtsSslMode.Preferred;

    [Parameter(ParameterSetName = DefineSet, HelpMessage = "Connection security to the target: None, Preferred, Required, VerifyCA, VerifyFull.")]
    public DtsSslMode TargetSslMode { get; set; } = DtsSslMode.Preferred;

    [Parameter(ParameterSetName = DefineSet, HelpMessage = "A PEM file of the authority that signed the source's certificate (with -SourceSslMode VerifyCA or VerifyFull).")]
    [ValidateNotNullOrEmpty]
    public string? SourceSslCa { get; set; }

    [Parameter(ParameterSetName = DefineSet, HelpMessage = "A PEM file of the authority that signed the target's certificate (with -TargetSslMode VerifyCA or VerifyFull).")]
    [ValidateNotNullOrEmpty]
    public string? TargetSslCa { get; set; }

    [Parameter(ParameterSetName = DefineSet, HelpMessage = "With -InitialSync None: where incremental sync starts, file:position or a GTID set (default: the source's position when the job first starts).")]
    [ValidateNotNullOrEmpty]
    public string? StartPosition { get; set; }

    [Parameter(ParameterSetName = DefineSet, HelpMessage = "What a change that finds the target's row not as the source had it does: Fail (stop the job; default), Ignore (keep the target's row), Overwrite (make it the source's).")]
    public ConflictPolicy ConflictPolicy { get; set; } = ConflictPolicy.Fail;

    [Parameter(ParameterSetName = DefineSet, HelpMessage = "The kinds of change the job applies: Insert, Update, Delete, Ddl (default: All).")]
    [ValidateNotNullOrEmpty]
    public SyncOperations[]? Operation { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = ReverseSet, HelpMessage = "A job to pair with one that syncs the other way (two-way sync): from its target back to its source, the same objects, no initial sync.")]
    [ValidateNotNull]
    public SyncJob? ReverseOf { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = ReversePipedSet, ValueFromPipeline = true, HelpMessage = "A job piped in: with -Reverse, the job to pair with one that syncs the other way; piped alone it makes nothing.")]
    [ValidateNotNull]
    public SyncJob? InputObject { get; set; }

    [Parameter(ParameterSetName = ReversePipedSet, HelpMessage = "With a job piped in: make the job that syncs it the other way, as -ReverseOf does.")]
    public SwitchParameter Reverse { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == ReversePipedSet && !Reverse)
        {
            ThrowTerminatingError(InputError(new DtsInputException(
                $"Sync job '{InputObject!.Name}' was piped into New-DtsSyncJob without -Reverse; nothing was created.",
                "Add -Reverse (or give -ReverseOf $job) to make the job that syncs it the other way; a new job of your own takes -Source, -Target and -Object."), "ReverseNotAsked", InputObject));
        }

        SyncJobDefinition definition;
        try
        {
            if (Name is not null && string.IsNullOrWhiteSpace(Name))
            {
                throw new DtsInputException("-Name is blank.", "Give a name with at least one visible character, or leave -Name out to have one generated.");
            }

            definition = (ReverseOf ?? InputObject) is { } forward ? ReverseOfJob(forward) : Define();
        }
        catch (DtsInputException e)
        {
            ThrowTerminatingError(InputError(e, "InvalidJobDefinition", null));
            return;
        }

        if (ShouldProcess($"sync job {definition.Name ?? "(generated name)"}: {definition.Source.Endpoint} -> {definition.Target.Endpoint}, {string.Join(", ", definition.Selection.Objects)}", "Create"))
        {
            try
            {
                WriteObject(Store.Jobs.Create(definition));
            }
            catch (InvalidOperationException e)
            {
                ThrowTerminatingError(new ErrorRecord(e, "StateKeyUnavailable", ErrorCategory.ReadError, Store.Path)
                {
                    ErrorDetails = new ErrorDetails($"The job was not created: {e.Message}")
                    {
                        RecommendedAction = $"Restore the key file '{Engine.State.StatePaths.KeyPathFor(Store.Path)}' from a backup, or remove the jobs of this state file (Get-DtsSyncJob | Remove-DtsSyncJob) and create them again.",
                    },
                });
            }
        }
    }

    private SyncJobDefinition Define()
    {
        var selection = ObjectSelection.Parse(Object);
        return new SyncJobDefinition(
            Name,
            Connection(Source, "Source", SourceCredential, SourceSslMode, SourceSslCa),
            Connection(Target, "Target", TargetCredential, TargetSslMode, TargetSslCa),
            selection,
            NameMapping.Create(MappingEntries(), selection),
            ParseInitialSync(InitialSync),
            ParseStartPosition(),
            ConflictPolicy,
            SyncOperationChoice.Combine(Operation) ?? SyncOperations.All);
    }

    /// <summary>The other half of a two-way pair, with the forward job's stored connections swapped.</summary>
    private SyncJobDefinition ReverseOfJob(SyncJob forward)
    {
        var (source, target) = StoredConnections(forward, terminating: true)!.Value;
        return ReverseJob.Of(forward, source, target, Name);
    }

    private ConnectionSettings Connection(string address, string what, PSCredential credential, DtsSslMode sslMode, string? sslCa)
    {
        if (string.IsNullOrEmpty(credential.UserName))
        {
            throw new DtsInputException($"-{what}Credential has no user name.", $"Give a credential with a user name: -{what}Credential (Get-Credential).");
        }

        var caFile = sslCa is null ? null : TrustedAuthority.Validate(SessionState.Path.GetUnresolvedProviderPathFromPSPath(sslCa), sslMode, $"{what}SslCa");
        return new ConnectionSettings(ServerEndpoint.Parse(address, what), credential.UserName, credential.GetNetworkCredential().Password, sslMode, caFile);
    }

    private IEnumerable<KeyValuePair<string, string>> MappingEntries()
    {
        foreach (DictionaryEntry entry in Mapping ?? [])
        {
            yield return new(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? "", Convert.ToString(entry.Value, CultureInfo.InvariantCulture) ?? "");
        }
    }

    private string? ParseStartPosition()
    {
        if (StartPosition is null)
        {
            return null;
        }

        if (ParseInitialSync(InitialSync) != Engine.Jobs.InitialSync.None)
        {
            throw new DtsInputException("-StartPosition applies only to incremental sync: an initial sync decides its own start.", "Add -InitialSync None, or leave -StartPosition out.");
        }

        var start = BinlogStart.Parse(StartPosition);
        if (start.Position is null && start.GtidSet is null)
        {
            throw new DtsInputException($"-StartPosition '{StartPosition}' is not a binlog position or GTID set.", "Give file:position (SHOW BINARY LOGS on the source) or a GTID set; leave it out to start at the source's position when the job first starts.");
        }

        return start.ToString();
    }

    private static InitialSync ParseInitialSync(string[] values)
    {
        if (values.Contains("None", StringComparer.OrdinalIgnoreCase))
        {
            return values.Length == 1
                ? Engine.Jobs.InitialSync.None
                : throw new DtsInputException("-InitialSync None cannot be combined with Schema or Data.", "Give None alone for incremental sync only, or any of Schema, Data.");
        }

        return values.Aggregate(Engine.Jobs.InitialSync.None, (all, v) => all | Enum.Parse<InitialSync>(v, ignoreCase: true));
    }
}
