using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace DtsPowerShell.Engine.Tests.Architecture;

/// <summary>The engine's parts use only the parts docs/architecture.md allows them.</summary>
public sealed partial class ArchitectureTests
{
    [Fact]
    public void EveryEngineFileUsesOnlyThePartsItsPartMayUse()
    {
        var allowed = AllowedArrows();
        var engine = Path.Combine(RepositoryRoot(), "src", "DtsPowerShell.Engine");
        var parts = Directory.GetDirectories(engine).Select(Path.GetFileName).Where(p => p is not ("bin" or "obj")).ToHashSet()!;
        Assert.Subset(new HashSet<string>(allowed.Keys), parts!);

        var violations = new List<string>();
        foreach (var part in parts)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(engine, part!), "*.cs", SearchOption.AllDirectories))
            {
                foreach (var used in UsedParts(File.ReadAllText(file), parts!))
                {
                    if (used != part && !allowed[part!].Contains(used))
                    {
                        violations.Add($"{Path.GetRelativePath(engine, file)} uses {used}");
                    }
                }
            }
        }

        Assert.Empty(violations);
    }

    [Fact]
    public void ThePartsAreLayeredEveryPartBelowTheOnesThatUseIt()
    {
        // The table is the one list of arrows: besides Sync (which runs everything), no part may reach back to one that uses it.
        var arrows = AllowedArrows().Where(a => a.Key != "Sync").ToDictionary(a => a.Key, a => a.Value.Where(u => u != a.Key && u != "Sync").ToHashSet());
        var placed = new List<string>();
        while (placed.Count < arrows.Count)
        {
            var next = arrows.Keys.Except(placed).Where(p => arrows[p].All(placed.Contains)).Order(StringComparer.Ordinal).ToList();
            Assert.True(next.Count > 0, "docs/architecture.md's arrows go round in a circle among: " + string.Join(", ", arrows.Keys.Except(placed)));
            placed.AddRange(next);
        }

        Assert.DoesNotContain("Precheck", arrows["State"]);
        Assert.Empty(arrows["Selection"]);
        Assert.All(new[] { "Protocol", "Binlog", "Changes" }, low => Assert.DoesNotContain(arrows[low], high => high is "Jobs" or "State" or "Precheck" or "Apply"));
    }

    [Fact]
    public void TheCheckSeesUsingLinesAndQualifiedNames()
    {
        string[] parts = ["Jobs", "Precheck", "Binlog"];
        Assert.Equal(["Jobs"], UsedParts("using DtsPowerShell.Engine.Jobs;\nclass A {}", parts));
        Assert.Equal(["Precheck"], UsedParts("var v = Precheck.ServerVersion.Parse(x);", parts));
        Assert.Equal(["Binlog"], UsedParts("DtsPowerShell.Engine.Binlog.BinlogClient c;", parts));
        Assert.Empty(UsedParts("var v = job.Precheck.Run(); // Jobs.SyncJob in a comment", parts));
    }

    private static IEnumerable<string> UsedParts(string source, IReadOnlyCollection<string> parts)
    {
        var code = LineComments().Replace(source, "");
        var used = new SortedSet<string>(StringComparer.Ordinal);
        foreach (Match match in EngineNames().Matches(code))
        {
            used.Add(match.Groups[1].Value);
        }

        foreach (var part in parts)
        {
            if (Regex.IsMatch(code, $@"(?<![\w.]){part}\.[A-Z]"))
            {
                used.Add(part);
            }
        }

        return used.Where(parts.Contains);
    }

    private static Dictionary<string, HashSet<string>> AllowedArrows()
    {
        var doc = File.ReadAllLines(Path.Combine(RepositoryRoot(), "docs", "architecture.md"));
        var start = Array.FindIndex(doc, l => l.StartsWith("| Part | May use |", StringComparison.Ordinal));
        Assert.True(start >= 0, "docs/architecture.md has no '| Part | May use |' table.");
        var arrows = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var line in doc.Skip(start + 2).TakeWhile(l => l.StartsWith('|')))
        {
            var cells = line.Split('|', StringSplitOptions.TrimEntries);
            var names = Regex.Matches(cells[2], "`(\\w+)`").Select(m => m.Groups[1].Value);
            arrows[cells[1].Trim('`')] = cells[2] == "every part" ? ["*"] : names.ToHashSet();
        }

        foreach (var (part, uses) in arrows.Where(a => a.Value.Contains("*")).ToList())
        {
            arrows[part] = arrows.Keys.ToHashSet();
        }

        return arrows;
    }

    private static string RepositoryRoot([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", ".."));

    [GeneratedRegex(@"DtsPowerShell\.Engine\.(\w+)")]
    private static partial Regex EngineNames();

    [GeneratedRegex(@"//.*$", RegexOptions.Multiline)]
    private static partial Regex LineComments();
}
