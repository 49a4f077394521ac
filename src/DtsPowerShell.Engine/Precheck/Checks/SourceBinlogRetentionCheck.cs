using System.Globalization;
using DtsPowerShell.Engine.Jobs;

namespace DtsPowerShell.Engine.Precheck.Checks;

internal sealed class SourceBinlogRetentionCheck : PrecheckItem
{
    public static readonly TimeSpan Recommended = TimeSpan.FromDays(7);

    public override string Name => "SourceBinlogRetention";

    public override PrecheckSides Needs => PrecheckSides.Source;

    public override Task<PrecheckResult> RunAsync(PrecheckContext context, CancellationToken cancellationToken)
    {
        var session = context.SourceSession;
        var seconds = session.NumericVariable("binlog_expire_logs_seconds");
        if (seconds == 0 && double.TryParse(session.Variable("expire_logs_days"), NumberStyles.Float, CultureInfo.InvariantCulture, out var days))
        {
            seconds = (long)(days * 86400);
        }

        if (seconds == 0)
        {
            return Task.FromResult(Passed(context, "Binary logs are kept until purged by hand."));
        }

        var retention = TimeSpan.FromSeconds(seconds);
        return Task.FromResult(retention >= Recommended
            ? Passed(context, $"Binary logs are kept {Describe(retention)}.")
            : Warning(context, $"Binary logs are kept only {Describe(retention)}; a job stopped for longer cannot resume and must start over.",
                $"Keep them at least {Recommended.TotalDays} days: SET GLOBAL binlog_expire_logs_seconds = {(long)Recommended.TotalSeconds} (MySQL 5.x: expire_logs_days = 7), and the same in my.cnf."));
    }

    private static string Describe(TimeSpan retention) =>
        retention.TotalDays >= 1 ? $"{retention.TotalDays:0.#} days" : $"{retention.TotalHours:0.#} hours";
}
