using DtsPowerShell.Tool;
using Microsoft.Extensions.Logging;

namespace DtsPowerShell.Engine.Tests.Tool;

/// <summary>The worker's log: bounded by rotation, nothing lost within what is kept, the oldest files dropped.</summary>
public class FileLoggerProviderTests
{
    [Fact]
    public void A_log_past_its_cap_moves_to_numbered_files_keeping_every_line_of_the_newest_and_dropping_the_oldest()
    {
        using var folder = new TempDirectory();
        var path = folder.File("job.log");
        using (var provider = new FileLoggerProvider(path, maxBytes: 1000, keptFiles: 2))
        {
            var log = provider.CreateLogger("worker");
            for (var i = 0; i < 100; i++)
            {
                log.LogInformation("line {Number:D3} of the test", i);
            }
        }

        var files = Directory.GetFiles(folder.Path).Select(f => Path.GetFileName(f)!).Order().ToArray();
        Assert.Equal(["job.log", "job.log.1", "job.log.2"], files);
        Assert.All(files, f => Assert.InRange(new FileInfo(folder.File(f)).Length, 1, 1000));

        // Read oldest first, the kept lines are the newest ones, whole, in order and without a gap.
        var lines = new[] { "job.log.2", "job.log.1", "job.log" }.SelectMany(f => File.ReadAllLines(folder.File(f))).ToArray();
        var numbers = lines.Select(l => int.Parse(l.Split("line ")[1][..3])).ToArray();
        Assert.Equal(99, numbers[^1]);
        Assert.Equal(Enumerable.Range(numbers[0], numbers.Length), numbers);
        Assert.True(numbers[0] > 0, "the oldest lines were dropped");
        Assert.All(lines, l => Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}Z INFO line \d{3} of the test$", l));
    }

    [Fact]
    public void A_new_worker_appends_to_the_log_it_finds_and_rotates_it_when_full()
    {
        using var folder = new TempDirectory();
        var path = folder.File("job.log");
        File.WriteAllText(path, new string('x', 980) + "\n");
        using (var provider = new FileLoggerProvider(path, maxBytes: 1000, keptFiles: 4))
        {
            provider.CreateLogger("worker").LogWarning("after the restart");
        }

        Assert.StartsWith(new string('x', 980), File.ReadAllText(path + ".1"));
        Assert.EndsWith("WARN after the restart\n", File.ReadAllText(path));
    }
}
