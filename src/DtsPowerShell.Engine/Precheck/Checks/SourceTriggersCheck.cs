using System.Text.RegularExpressions;
using DtsPowerShell.Engine.Jobs;
using DtsPowerShell.Engine.Selection;

namespace DtsPowerShell.Engine.Precheck.Checks;

internal sealed partial class SourceTriggersCheck : PrecheckItem
{
    public override string Name => "SourceTriggers";

    public override PrecheckSides Needs => PrecheckSides.Source;

    public override async Task<PrecheckResult> RunAsync(PrecheckContext context, CancellationToken cancellationToken)
    {
        var (list, parameters) = context.DatabaseParameters();
        var triggers = await context.SourceSession.QueryAsync(
            $"SELECT TRIGGER_SCHEMA, TRIGGER_NAME, EVENT_OBJECT_SCHEMA, EVENT_OBJECT_TABLE, ACTION_STATEMENT FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA IN {list}",
            cancellationToken, parameters).ConfigureAwait(false);
        var risky = new List<string>();
        foreach (var row in triggers)
        {
            var (schema, name, onSchema, onTable, body) = ((string)row[0]!, (string)row[1]!, (string)row[2]!, (string)row[3]!, (string)row[4]!);
            if (!context.Job.Selection.ContainsTable(onSchema, onTable))
            {
                continue;
            }

            var written = WrittenTables(body, schema).Where(t => context.Job.Selection.ContainsTable(t.Database, t.Table)).ToList();
            if (written.Count > 0)
            {
                risky.Add($"{QualifiedName.Display(schema)}.{QualifiedName.Display(name)} (writes {string.Join(", ", written.Select(t => $"{t.Database}.{t.Table}"))})");
            }
        }

        // information_schema.TRIGGERS lists only triggers the account holds the TRIGGER privilege for.
        var hidden = context.Job.Selection.Databases.Where(d => !context.SourceSession.Grants.HasOnDatabase("TRIGGER", d)).ToList();
        if (risky.Count == 0 && hidden.Count > 0)
        {
            return Warning(context, $"{context.SourceSession.Account} cannot see the triggers of {List(hidden.Select(QualifiedName.Display))} (no TRIGGER privilege), so triggers that write selected tables would go unnoticed, and schema initialisation cannot copy them.",
                $"GRANT TRIGGER ON {QualifiedName.Quote(hidden[0])}.* TO {context.SourceSession.Account}; (for each database), or check the triggers by hand.");
        }

        return risky.Count == 0
            ? Passed(context, "No trigger writes a selected table.")
            : Warning(context, $"Triggers write selected tables: {List(risky)}. Their rows arrive through the binlog already. The job creates triggers on the target (those of whole selected databases, and those created while it runs) with bodies that do nothing for its own writes, so they fire only for writes made on the target directly; a trigger someone creates on the target by hand would write the rows a second time.",
                "Nothing to do for the job's own triggers. Do not create these triggers on the target by hand; if the target already has them unguarded, drop them there before starting the job.");
    }

    internal static IEnumerable<(string Database, string Table)> WrittenTables(string body, string defaultSchema)
    {
        foreach (Match match in WritePattern().Matches(body))
        {
            QualifiedName name;
            try
            {
                name = QualifiedName.Parse(match.Groups["name"].Value, "Trigger target");
            }
            catch (DtsInputException)
            {
                continue;
            }

            if (name.Parts.Count == 1)
            {
                yield return (defaultSchema, name.Parts[0]);
            }
            else if (name.Parts.Count == 2)
            {
                yield return (name.Parts[0], name.Parts[1]);
            }
        }
    }

    [GeneratedRegex(@"\b(?:(?:INSERT|REPLACE)(?:\s+(?:LOW_PRIORITY|DELAYED|HIGH_PRIORITY|IGNORE))*(?:\s+INTO)?|UPDATE(?:\s+(?:LOW_PRIORITY|IGNORE))*|DELETE(?:\s+(?:LOW_PRIORITY|QUICK|IGNORE))*\s+FROM)\s+(?<name>(?:`(?:[^`]|``)+`|[\w$]+)(?:\s*\.\s*(?:`(?:[^`]|``)+`|[\w$]+))?)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WritePattern();
}
