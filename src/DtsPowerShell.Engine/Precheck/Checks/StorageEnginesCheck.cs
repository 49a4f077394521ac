using DtsPowerShell.Engine.Jobs;
namespace DtsPowerShell.Engine.Precheck.Checks;

internal sealed class StorageEnginesCheck : PrecheckItem
{
    private static readonly HashSet<string> Unsupported = new(StringComparer.OrdinalIgnoreCase) { "FEDERATED", "MRG_MyISAM", "MRG_MYISAM" };
    private static readonly HashSet<string> Transactional = new(StringComparer.OrdinalIgnoreCase) { "InnoDB", "XtraDB", "TokuDB", "RocksDB", "ndbcluster" };

    public override string Name => "StorageEngines";

    public override PrecheckSides Needs => PrecheckSides.Both;

    public override async Task<PrecheckResult> RunAsync(PrecheckContext context, CancellationToken cancellationToken)
    {
        var unsupported = context.Tables.Where(t => Unsupported.Contains(t.Engine)).Select(t => $"{t.Display} ({t.Engine})").ToList();
        if (unsupported.Count > 0)
        {
            return Failed(context, $"These tables use engines whose rows live elsewhere or in other tables, which cannot be synced: {List(unsupported)}.",
                "Deselect them (select the underlying tables instead), or convert them: ALTER TABLE ... ENGINE=InnoDB.");
        }

        var targetEngines = (await context.TargetSession.QueryAsync("SELECT ENGINE FROM information_schema.ENGINES WHERE SUPPORT IN ('YES', 'DEFAULT')", cancellationToken).ConfigureAwait(false))
            .Select(r => (string)r[0]!).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var absent = context.Tables.Where(t => !targetEngines.Contains(t.Engine)).Select(t => $"{t.Display} ({t.Engine})").ToList();
        if (absent.Count > 0 && context.Job.InitialSync.HasFlag(Jobs.InitialSync.Schema))
        {
            return Failed(context, $"The target does not offer the engines of: {List(absent)}.",
                "Install or enable that engine on the target, or convert the source tables to InnoDB.");
        }

        var nonTransactional = context.Tables.Where(t => !Transactional.Contains(t.Engine)).Select(t => $"{t.Display} ({t.Engine})").ToList();
        return nonTransactional.Count == 0
            ? Passed(context, "Every selected table uses a transactional engine.")
            : Warning(context, $"These tables use non-transactional engines: {List(nonTransactional)}. On the target, a change to them cannot commit together with the job's checkpoint, so after a crash it may be applied twice.",
                "Convert them to InnoDB (ALTER TABLE ... ENGINE=InnoDB) where you can; otherwise compare them with the source after the job restarts from a crash.");
    }
}
