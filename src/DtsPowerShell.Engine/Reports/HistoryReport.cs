using System.Globalization;
using System.Net;
using System.Text;
using DtsPowerShell.Engine.Jobs;

namespace DtsPowerShell.Engine.Reports;

/// <summary>
/// A job's history as one self-contained HTML page: per job, its status and two charts (latency, average and highest,
/// and events per second, minute by minute), drawn as inline SVG with inline CSS, so it opens offline and loads nothing.
/// </summary>
public static class HistoryReport
{
    private const int Width = 900;
    private const int Height = 200;
    private const int Left = 64;
    private const int Right = 12;
    private const int Top = 12;
    private const int Bottom = 28;

    /// <summary>The page for <paramref name="jobs"/> over <paramref name="fromUtc"/> to <paramref name="toUtc"/>.</summary>
    public static string Render(IReadOnlyList<(SyncStatus Status, SyncJob Job, IReadOnlyList<SyncHistoryPoint> History)> jobs, DateTime fromUtc, DateTime toUtc, DateTime generatedUtc)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>DtsPowerShell sync report</title>\n<style>")
            .Append("body{font-family:system-ui,sans-serif;margin:2em;color:#222}h2{margin-top:2em}table.status td{padding:0 1.5em 0 0}")
            .Append("svg{display:block;margin:.5em 0}.grid{stroke:#ddd}.axis{font-size:11px;fill:#555}.avg{fill:none;stroke:#1f6feb;stroke-width:1.5}")
            .Append(".max{fill:none;stroke:#d73a49;stroke-width:1;stroke-dasharray:3 2}.eps{fill:none;stroke:#2da44e;stroke-width:1.5}")
            .Append(".dot-avg{fill:#1f6feb}.dot-max{fill:#d73a49}.dot-eps{fill:#2da44e}.key-avg{color:#1f6feb}.key-max{color:#d73a49}.key-eps{color:#2da44e}.none{color:#777}")
            .Append("</style></head><body>\n<h1>Sync report</h1>\n<p>")
            .Append(Encode($"From {Utc(fromUtc)} to {Utc(toUtc)} (UTC), minute by minute; generated {Utc(generatedUtc)}."))
            .Append("</p>\n");
        if (jobs.Count == 0)
        {
            html.Append("<p class=\"none\">No jobs.</p>\n");
        }

        foreach (var (status, job, history) in jobs)
        {
            AppendJob(html, status, job, history, fromUtc, toUtc);
        }

        return html.Append("</body></html>\n").ToString();
    }

    private static void AppendJob(StringBuilder html, SyncStatus status, SyncJob job, IReadOnlyList<SyncHistoryPoint> history, DateTime from, DateTime to)
    {
        html.Append("<h2>").Append(Encode($"{job.Name} ({job.Id})")).Append("</h2>\n<table class=\"status\"><tr>")
            .Append(Cell("From", $"{job.Source} to {job.Target}"))
            .Append(Cell("State", status.State.ToString()))
            .Append(Cell("Latency now", status.Latency is { } latency ? Milliseconds(latency.TotalMilliseconds) : "-"))
            .Append(Cell("Position", status.Position ?? "-"))
            .Append("</tr></table>\n");
        if (status.LastError is { } error)
        {
            html.Append("<p>Last error: ").Append(Encode(error)).Append("</p>\n");
        }

        if (history.Count == 0)
        {
            html.Append("<p class=\"none\">No minutes in this span: the job's worker did not run.</p>\n");
            return;
        }

        html.Append("<h3>Latency</h3>\n");
        AppendChart(html, history, from, to, Milliseconds,
            ("avg", "average", p => p.Latency?.TotalMilliseconds),
            ("max", "highest", p => p.MaxLatency?.TotalMilliseconds));
        html.Append("<h3>Events per second</h3>\n");
        AppendChart(html, history, from, to, v => v.ToString("0.#", CultureInfo.InvariantCulture),
            ("eps", "average", p => p.EventsPerSecond));
    }

    private static void AppendChart(
        StringBuilder html,
        IReadOnlyList<SyncHistoryPoint> history,
        DateTime from,
        DateTime to,
        Func<double, string> label,
        params (string Css, string Name, Func<SyncHistoryPoint, double?> Value)[] series)
    {
        var top = NiceCeiling(series.SelectMany(s => history.Select(s.Value)).Max(v => v ?? 0));
        var span = Math.Max((to - from).TotalMinutes, 1);
        double X(DateTime minute) => Left + ((minute - from).TotalMinutes / span * (Width - Left - Right));
        double Y(double value) => Height - Bottom - (value / top * (Height - Top - Bottom));

        html.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" role=\"img\">\n");
        for (var i = 0; i <= 4; i++)
        {
            var y = Y(top * i / 4);
            html.Append(CultureInfo.InvariantCulture, $"<line class=\"grid\" x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\"/>")
                .Append(CultureInfo.InvariantCulture, $"<text class=\"axis\" x=\"{Left - 6}\" y=\"{y + 4:0.#}\" text-anchor=\"end\">{Encode(label(top * i / 4))}</text>\n");
        }

        for (var i = 0; i <= 6; i++)
        {
            var time = from.AddMinutes(span * i / 6);
            html.Append(CultureInfo.InvariantCulture, $"<text class=\"axis\" x=\"{X(time):0.#}\" y=\"{Height - 8}\" text-anchor=\"middle\">{time:HH:mm}</text>\n");
        }

        foreach (var (css, name, value) in series)
        {
            html.Append("<g><title>").Append(Encode(name)).Append("</title>\n");
            foreach (var run in Runs(history, value))
            {
                if (run.Count == 1)
                {
                    html.Append(CultureInfo.InvariantCulture, $"<circle class=\"dot-{css}\" cx=\"{X(run[0].Minute):0.#}\" cy=\"{Y(run[0].Value):0.#}\" r=\"2\"/>\n");
                    continue;
                }

                html.Append("<path class=\"").Append(css).Append("\" d=\"");
                for (var i = 0; i < run.Count; i++)
                {
                    html.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? 'M' : 'L')}{X(run[i].Minute):0.#},{Y(run[i].Value):0.#} ");
                }

                html.Append("\"/>\n");
            }

            html.Append("</g>\n");
        }

        html.Append("</svg>\n<p class=\"axis\">")
            .AppendJoin(" ", series.Select(s => $"<span class=\"key-{s.Css}\">&#9632;</span> {Encode(s.Name)}"))
            .Append("</p>\n");
    }

    /// <summary>The points with a value, split where a minute is missing, so a line never bridges a time the worker did not run.</summary>
    private static List<List<(DateTime Minute, double Value)>> Runs(IReadOnlyList<SyncHistoryPoint> history, Func<SyncHistoryPoint, double?> value)
    {
        var runs = new List<List<(DateTime Minute, double Value)>>();
        DateTime? previous = null;
        foreach (var point in history)
        {
            if (value(point) is not { } v)
            {
                previous = null;
                continue;
            }

            if (previous is null || point.Minute - previous.Value > TimeSpan.FromMinutes(1))
            {
                runs.Add([]);
            }

            runs[^1].Add((point.Minute, v));
            previous = point.Minute;
        }

        return runs;
    }

    /// <summary>The smallest of 1, 2 or 5 times a power of ten that is at least <paramref name="value"/> (1 for nothing).</summary>
    internal static double NiceCeiling(double value)
    {
        if (value <= 0)
        {
            return 1;
        }

        var power = Math.Pow(10, Math.Floor(Math.Log10(value)));
        return new[] { 1, 2, 5, 10 }.Select(m => m * power).First(c => c >= value * (1 - 1e-12));
    }

    private static string Cell(string name, string value) => $"<td><b>{Encode(name)}</b> {Encode(value)}</td>";

    private static string Milliseconds(double ms) =>
        ms < 10_000 ? ms.ToString("0", CultureInfo.InvariantCulture) + " ms" : (ms / 1000).ToString("0.#", CultureInfo.InvariantCulture) + " s";

    private static string Utc(DateTime time) => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
