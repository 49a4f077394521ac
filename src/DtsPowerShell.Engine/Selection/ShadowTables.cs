using System.Text.RegularExpressions;

namespace DtsPowerShell.Engine.Selection;

/// <summary>
/// The tables online schema change tools make beside the table they change: pt-online-schema-change's <c>_t_new</c>
/// (the altered copy) and <c>_t_old</c> (the original, after the swap), with more leading underscores when the name
/// is taken; gh-ost's <c>_t_gho</c> (the altered copy) and <c>_t_del</c> (the cut-over sentry, then the original),
/// also as <c>_t_20260101120000_del</c>. A job that selects <c>t</c> follows these too, so the change reaches the target
/// the way it was made: the copy filled, then swapped in.
/// </summary>
public static partial class ShadowTables
{
    /// <summary>The table that <paramref name="table"/> shadows, or null when it is not named as a shadow table.</summary>
    public static string? Of(string table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var match = Pattern().Match(table);
        return match.Success ? match.Groups["table"].Value : null;
    }

    [GeneratedRegex(@"^_+(?<table>.+?)(_\d{14})?_(new|old|gho|del)$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
