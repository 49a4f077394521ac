using System.Collections.ObjectModel;

namespace DtsPowerShell.Engine;

/// <summary>A read-only map of names whose text is its pairs (<c>from=to</c>, comma separated), so Export-Csv shows them rather than the type name.</summary>
public sealed class PrintableMap : ReadOnlyDictionary<string, string>
{
    public PrintableMap(IEnumerable<KeyValuePair<string, string>> pairs)
        : base(new SortedDictionary<string, string>(StringComparer.Ordinal))
    {
        foreach (var (key, value) in pairs)
        {
            Dictionary.Add(key, value);
        }
    }

    public override string ToString() => string.Join(", ", this.Select(p => $"{p.Key}={p.Value}"));
}
