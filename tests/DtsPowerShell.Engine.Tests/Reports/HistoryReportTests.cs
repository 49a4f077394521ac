using System.Text.RegularExpressions;
using DtsPowerShell.Engine.Jobs;
using DtsPowerShell.Engine.Reports;
using DtsPowerShell.Engine.State;

namespace DtsPowerShell.Engine.Tests.Reports;

public sealed class HistoryReportTests
{
    private static readonly DateTime From = new(2026, 11, 30, 10, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void DrawsEachRunOfMinutesAsItsOwnLineAndLoadsNothingFromOutside()
    {
        using var temp = new TempDirectory();
        var store = StateStore.Open(temp.File("state.db"));
        var job = store.Jobs.Create(JobFactory.Definition() with { Name = "<shop> & co" });
        var status = store.Status.Get(job)!;
        SyncHistoryPoint At(int minute, double? latencyMs, double eps) =>
            new(job.Id, job.Name, From.AddMinutes(minute), latencyMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null, latencyMs is { } max ? TimeSpan.FromMilliseconds(max * 2) : null, eps, 60);

        // Minutes 0-2, a stop, then 10-11 and a lone minute 20: three runs per series, the last one a dot.
        var history = new[] { At(0, 10, 100), At(1, 20, 150), At(2, 15, 90), At(10, 40, 10), At(11, 30, 20), At(20, 5, 1) };
        var html = HistoryReport.Render([(status, job, history)], From, From.AddMinutes(30), From.AddMinutes(30));

        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("&lt;shop&gt; &amp; co", html);
        Assert.DoesNotContain("<shop>", html);
        Assert.Equal(2, Regex.Matches(html, "<path class=\"avg\"").Count);
        Assert.Equal(2, Regex.Matches(html, "<path class=\"max\"").Count);
        Assert.Equal(2, Regex.Matches(html, "<path class=\"eps\"").Count);
        Assert.Equal(3, Regex.Matches(html, "<circle ").Count);
        Assert.DoesNotMatch("<script|<link|<img|src=|href=|url\\(", html);
        Assert.Matches(@"From 2026-11-30 10:00 to 2026-11-30 10:30 \(UTC\)", html);

        // The latency axis tops at 100 ms (the highest is 80), the events axis at 200.
        Assert.Contains(">100 ms</text>", html);
        Assert.Contains(">200</text>", html);
    }

    [Fact]
    public void SaysSoForAJobWhoseWorkerDidNotRunInTheSpan()
    {
        using var temp = new TempDirectory();
        var store = StateStore.Open(temp.File("state.db"));
        var job = store.Jobs.Create(JobFactory.Definition());
        var html = HistoryReport.Render([(store.Status.Get(job)!, job, [])], From, From.AddHours(1), From.AddHours(1));
        Assert.Contains("did not run", html);
        Assert.DoesNotContain("<svg", html);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(0.3, 0.5)]
    [InlineData(1, 1)]
    [InlineData(80, 100)]
    [InlineData(101, 200)]
    [InlineData(150, 200)]
    [InlineData(4999, 5000)]
    public void AxesEndAtOneTwoOrFiveTimesAPowerOfTen(double highest, double top) =>
        Assert.Equal(top, HistoryReport.NiceCeiling(highest), 9);
}
