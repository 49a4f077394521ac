using System.Collections.ObjectModel;

namespace DtsPowerShell.Engine;

/// <summary>A read-only list whose text is its items', comma separated, so Export-Csv and string conversion show them rather than the type name.</summary>
public sealed class PrintableList<T> : ReadOnlyCollection<T>
{
    public PrintableList(IEnumerable<T> items)
        : base(items.ToList())
    {
    }

    public override string ToString() => string.Join(", ", this);
}
