using DtsPowerShell.Engine.Jobs;
namespace DtsPowerShell.Engine.Precheck.Checks;

internal sealed class CharsetsCheck : PrecheckItem
{
    public override string Name => "TargetCharsets";

    public override PrecheckSides Needs => PrecheckSides.Both;

    public override async Task<PrecheckResult> RunAsync(PrecheckContext context, CancellationToken cancellationToken)
    {
        var (list, parameters) = context.DatabaseParameters();
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var columns = await context.SourceSession.QueryAsync(
            $"SELECT TABLE_SCHEMA, TABLE_NAME, COLLATION_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA IN {list} AND COLLATION_NAME IS NOT NULL",
            cancellationToken, parameters).ConfigureAwait(false);
        used.UnionWith(columns.Where(r => context.Job.Selection.ContainsTable((string)r[0]!, (string)r[1]!)).Select(r => (string)r[2]!));
        used.UnionWith(context.Tables.Where(t => t.Collation is not null).Select(t => t.Collation!));
        var schemata = await context.SourceSession.QueryAsync(
            $"SELECT SCHEMA_NAME, DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME IN {list}", cancellationToken, parameters).ConfigureAwait(false);
        used.UnionWith(schemata.Where(r => context.Job.Selection.IsWholeDatabase((string)r[0]!)).Select(r => (string)r[1]!));

        var available = (await context.TargetSession.QueryAsync("SELECT COLLATION_NAME FROM information_schema.COLLATIONS", cancellationToken).ConfigureAwait(false))
            .Select(r => (string)r[0]!).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var missing = MissingOnTarget(used, available);
        return missing.Count == 0
            ? Passed(context, $"The target has every collation the selected objects use ({string.Join(", ", used.Order(StringComparer.OrdinalIgnoreCase))}).")
            : Failed(context, $"The target lacks collations the source uses: {List(missing)}.",
                "Use a target server version that has them, or convert the source columns to a collation both servers know (ALTER TABLE ... CONVERT TO CHARACTER SET ... COLLATE ...).");
    }

    internal static List<string> MissingOnTarget(IEnumerable<string> used, IReadOnlySet<string> available) =>
        used.Where(c => !available.Contains(c)).Order(StringComparer.OrdinalIgnoreCase).ToList();
}
