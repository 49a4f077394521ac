using DtsPowerShell.Engine.Jobs;
namespace DtsPowerShell.Engine.Precheck;

/// <summary>One precheck item: a name, the sides it needs, and a check that returns one result.</summary>
internal abstract class PrecheckItem
{
    public abstract string Name { get; }

    public abstract PrecheckSides Needs { get; }

    public abstract Task<PrecheckResult> RunAsync(PrecheckContext context, CancellationToken cancellationToken);

    protected PrecheckResult Passed(PrecheckContext context, string message) => PrecheckResult.Passed(context.Job.Id, Name, message);

    protected PrecheckResult Warning(PrecheckContext context, string message, string remedy) => PrecheckResult.Warning(context.Job.Id, Name, message, remedy);

    protected PrecheckResult Failed(PrecheckContext context, string message, string remedy) => PrecheckResult.Failed(context.Job.Id, Name, message, remedy);

    /// <summary>At most a few names, then a count, so a message stays readable for a thousand tables.</summary>
    protected static string List(IEnumerable<string> names, int shown = 5)
    {
        var all = names.ToList();
        return all.Count <= shown ? string.Join(", ", all) : string.Join(", ", all.Take(shown)) + $" and {all.Count - shown} more";
    }
}
